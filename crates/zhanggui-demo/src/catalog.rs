//! The catalogue: products with roles, prices, SKUs and how strongly each draws buyers.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// A product's job in the assortment (seed 003: 引流款, 利润款, 形象款).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// 引流款: cheap, popular, thin margin; brings visitors.
    Traffic,
    /// 利润款: the mid-priced items that earn the money.
    Profit,
    /// 形象款: expensive, rarely bought, lifts the brand.
    Image,
}

#[derive(Debug, Clone)]
pub struct Product {
    pub code: String,
    /// The platform's numeric item id.
    pub item_id: u64,
    pub title: String,
    /// The category (类目) the product is listed under.
    pub category: String,
    pub role: Role,
    /// List price in minor units.
    pub price: i64,
    /// How often it is chosen, relative to others.
    pub weight: f64,
    /// Visitors who buy, on an ordinary day.
    pub conversion: f64,
    pub skus: Vec<(String, String)>,
}

const CATEGORIES_ZH: &[(&str, &[&str])] = &[
    (
        "女装",
        &["T恤", "连衣裙", "针织衫", "半身裙", "衬衫", "卫衣"],
    ),
    ("男装", &["POLO衫", "休闲裤", "夹克", "牛仔裤", "羽绒服"]),
    ("家居", &["四件套", "抱枕", "收纳盒", "地毯", "香薰"]),
    ("厨房", &["保温杯", "不粘锅", "刀具套装", "玻璃饭盒"]),
    ("美妆", &["面膜", "精华液", "口红", "防晒霜"]),
    ("母婴", &["婴儿湿巾", "学饮杯", "爬行垫"]),
];
const ADJECTIVES_ZH: &[&str] = &[
    "新款",
    "纯棉",
    "加厚",
    "简约",
    "ins风",
    "日系",
    "大容量",
    "轻薄",
    "复古",
];
const CATEGORIES_EN: &[(&str, &[&str])] = &[
    (
        "Home",
        &["Linen Throw", "Ceramic Mug", "Scented Candle", "Wall Clock"],
    ),
    (
        "Kitchen",
        &["Tea Towel Set", "Chef Knife", "Glass Jar", "Cutting Board"],
    ),
    (
        "Apparel",
        &["Organic Tee", "Wool Beanie", "Canvas Tote", "Rain Jacket"],
    ),
];
const ADJECTIVES_EN: &[&str] = &[
    "Classic", "Handmade", "Recycled", "Minimal", "Vintage", "Everyday",
];
const COLOURS: &[&str] = &["黑色", "白色", "灰色", "藏青", "米色"];
const SIZES: &[&str] = &["S", "M", "L", "XL"];

/// A catalogue of `count` products; `chinese` picks the Taobao or the Shopify wording.
pub fn catalogue(rng: &mut ChaCha8Rng, count: usize, chinese: bool, prefix: &str) -> Vec<Product> {
    (0..count)
        .map(|i| {
            let roll: f64 = rng.random();
            let role = if roll < 0.15 {
                Role::Traffic
            } else if roll < 0.75 {
                Role::Profit
            } else {
                Role::Image
            };
            let (price_range, weight, conversion) = match role {
                Role::Traffic => ((1900, 5900), 6.0, 0.045),
                Role::Profit => ((6900, 29900), 1.5, 0.025),
                Role::Image => ((39900, 129_900), 0.3, 0.008),
            };
            let price = rng.random_range(price_range.0..=price_range.1) / 100 * 100 + 90 - 100;
            let price = if chinese { price } else { price / 7 };
            let (title, category) = if chinese {
                let (cat, nouns) = CATEGORIES_ZH[rng.random_range(0..CATEGORIES_ZH.len())];
                let adj = ADJECTIVES_ZH[rng.random_range(0..ADJECTIVES_ZH.len())];
                let noun = nouns[rng.random_range(0..nouns.len())];
                (format!("2025{adj} {noun} {cat} 第{}款", i + 1), cat)
            } else {
                let (cat, nouns) = CATEGORIES_EN[rng.random_range(0..CATEGORIES_EN.len())];
                let adj = ADJECTIVES_EN[rng.random_range(0..ADJECTIVES_EN.len())];
                let noun = nouns[rng.random_range(0..nouns.len())];
                (format!("{adj} {noun} No. {}", i + 1), cat)
            };
            let code = format!("{prefix}{:04}", i + 1);
            let sku_count = rng.random_range(1..=3);
            let skus = (0..sku_count)
                .map(|s| {
                    let props = format!(
                        "颜色分类:{};尺码:{}",
                        COLOURS[(i + s) % COLOURS.len()],
                        SIZES[s % SIZES.len()]
                    );
                    (format!("{code}-{}", s + 1), props)
                })
                .collect();
            Product {
                code,
                item_id: 600_000_000_000 + (i as u64) * 7919,
                title,
                category: category.to_owned(),
                role,
                price,
                weight: weight * rng.random_range(0.5..1.5),
                conversion: conversion * rng.random_range(0.7..1.3),
                skus,
            }
        })
        .collect()
}

/// Picks products by weight, quickly.
pub struct Picker {
    cumulative: Vec<f64>,
}

impl Picker {
    pub fn new(products: &[Product]) -> Self {
        let mut total = 0.0;
        let cumulative = products
            .iter()
            .map(|p| {
                total += p.weight;
                total
            })
            .collect();
        Picker { cumulative }
    }

    pub fn pick(&self, rng: &mut ChaCha8Rng) -> usize {
        let total = *self.cumulative.last().unwrap_or(&1.0);
        let x = rng.random::<f64>() * total;
        self.cumulative
            .partition_point(|c| *c < x)
            .min(self.cumulative.len() - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn roles_are_priced_in_order() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let products = catalogue(&mut rng, 300, true, "TB");
        let mean = |role: Role| {
            let prices: Vec<i64> = products
                .iter()
                .filter(|p| p.role == role)
                .map(|p| p.price)
                .collect();
            assert!(!prices.is_empty(), "{role:?} present");
            prices.iter().sum::<i64>() / prices.len() as i64
        };
        assert!(mean(Role::Traffic) < mean(Role::Profit));
        assert!(mean(Role::Profit) < mean(Role::Image));
    }
}
