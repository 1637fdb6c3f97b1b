//! The generator: day by day, orders for both shops, written as they are made; the day
//! reports are written at the end from what was sold.

use std::collections::HashMap;
use std::path::Path;

use chrono::{Duration, NaiveDate, NaiveDateTime, TimeZone};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_xlsxwriter::{Format, Workbook};

use crate::bill::Bill;
use crate::calendar::demand;
use crate::catalog::{catalogue, Picker, Product, Role};
use crate::customers::Customers;
use crate::desk::{Finished, Reviews, Tracking};
use crate::paid_pull::{Bursts, BURST_SOURCE, PULLED_SOURCE};
use crate::problems::{Planted, HALVED_SOURCE};
use crate::write::{amount, wrapped, CsvOut};
use crate::{DemoConfig, DemoError, DemoOutput, DemoShop};

const PROVINCES: &[(&str, &str, f64)] = &[
    ("广东省", "深圳市 南山区", 14.0),
    ("浙江省", "杭州市 西湖区", 10.0),
    ("江苏省", "南京市 鼓楼区", 9.0),
    ("上海", "上海市 浦东新区", 7.0),
    ("北京", "北京市 朝阳区", 6.0),
    ("山东省", "济南市 历下区", 6.0),
    ("四川省", "成都市 武侯区", 5.0),
    ("湖北省", "武汉市 洪山区", 4.0),
    ("福建省", "厦门市 思明区", 4.0),
    ("河南省", "郑州市 金水区", 4.0),
];
const CARRIERS: &[&str] = &["圆通速递", "中通快递", "韵达快递", "顺丰速运"];
const MESSAGES: &[&str] = &[
    "请尽快发货",
    "不要放发票",
    "送人的，请包装好",
    "周末不在家，请放快递柜",
];
/// Traffic sources: name, share of visitors, conversion relative to the shop's.
const SOURCES: &[(&str, f64, f64)] = &[
    ("手淘搜索", 0.38, 1.2),
    ("手淘推荐", 0.22, 0.6),
    ("直通车", 0.14, 1.1),
    ("引力魔方", 0.05, 0.5),
    ("淘宝客", 0.07, 1.6),
    ("我的淘宝", 0.09, 1.8),
    ("站外", 0.05, 0.4),
];
/// The share of the shop's buyers a traffic source brings.
fn source_buyer_share(source: &str) -> f64 {
    let weights: f64 = SOURCES.iter().map(|(_, share, conv)| share * conv).sum();
    SOURCES
        .iter()
        .find(|s| s.0 == source)
        .map_or(0.0, |(_, share, conv)| share * conv / weights)
}

/// Expected lines per order, from the line-count draw in `line_count`.
const LINES_PER_ORDER: f64 = 1.43;

struct Line {
    product: usize,
    sku: usize,
    quantity: i64,
    list: i64,
    paid: i64,
}

/// What one product sold on one day.
#[derive(Default, Clone, Copy)]
struct Sold {
    orders: i64,
    units: i64,
    amount: i64,
}

/// Generates the demo files into `out` (created if needed).
pub fn generate(config: &DemoConfig, out: &Path) -> Result<DemoOutput, DemoError> {
    std::fs::create_dir_all(out).map_err(|e| DemoError::write(out, e))?;
    let mut rng = ChaCha8Rng::seed_from_u64(config.seed);
    let tb_products = catalogue(&mut rng, 300, true, "TB");
    let sp_products = catalogue(&mut rng, 80, false, "SP");
    let factors: Vec<f64> = (0..config.days)
        .map(|i| demand(day_of(config, i), i, config.days))
        .collect();
    let total_factor: f64 = factors.iter().sum();
    let tb_orders = config.order_lines as f64 * 0.85 / LINES_PER_ORDER;
    let sp_orders = config.order_lines as f64 * 0.15 / LINES_PER_ORDER;

    let stamp = (day_of(config, config.days - 1) + Duration::days(1)).format("%Y%m%d0930");
    let mut taobao = Taobao {
        orders: CsvOut::create(&out.join(format!("ExportOrderList{stamp}.csv")), true, None)?,
        lines: CsvOut::create(
            &out.join(format!("ExportOrderDetailList{stamp}.csv")),
            true,
            None,
        )?,
        picker: Picker::new(&tb_products),
        planted: Planted::choose(&tb_products, config.days, source_buyer_share(HALVED_SOURCE)),
        products: tb_products,
        customers: Customers::new(0.45),
        next_order: 2_139_450_000_000_000_000,
        sold: HashMap::new(),
        reviews: Reviews::create(out, &stamp.to_string(), config.seed)?,
        tracking: Tracking::create(out, &stamp.to_string(), config.seed)?,
        // The order left out of the bill is paid three weeks before the end: past any
        // settlement delay, inside the last 30 days the demo diagnoses.
        bill: Bill::create(out, config.seed, config.days.saturating_sub(21))?,
    };
    taobao.orders.row(TAOBAO_ORDER_HEADER)?;
    taobao.lines.row(TAOBAO_LINE_HEADER)?;
    let mut shopify = Shopify {
        out: CsvOut::create(&out.join("orders_export.csv"), false, None)?,
        picker: Picker::new(&sp_products),
        products: sp_products,
        customers: Customers::new(0.35),
        next_order: 1001,
        tz: chrono_tz::America::New_York,
    };
    shopify.out.row(SHOPIFY_HEADER)?;

    let mut lines_written = 0u64;
    let mut orders_written = 0u64;
    let last = config.days - 1;
    for i in 0..config.days {
        let share = factors[i as usize] / total_factor;
        let noise = rng.random_range(0.93..1.07);
        let n_tb = (tb_orders * share * noise * taobao.planted.order_factor(i)).round() as u64;
        let n_sp = (sp_orders * share * rng.random_range(0.9..1.1)).round() as u64;
        for _ in 0..n_tb {
            lines_written += taobao.order(&mut rng, config, i, last)?;
        }
        for _ in 0..n_sp {
            lines_written += shopify.order(&mut rng, config, i, last)?;
        }
        orders_written += n_tb + n_sp;
    }
    let tb_files = vec![
        taobao.orders.finish()?,
        taobao.lines.finish()?,
        write_product_days(
            &mut rng,
            config,
            out,
            &taobao.products,
            &taobao.sold,
            &factors,
            tb_orders / total_factor,
            &taobao.planted,
        )?,
        write_source_days(
            &mut rng,
            config,
            out,
            &taobao.products,
            &taobao.sold,
            &taobao.planted,
        )?,
    ];
    let sp_files = vec![shopify.out.finish()?];
    let reviews = taobao.reviews.finish()?;
    let tracking = taobao.tracking.finish()?;
    let costs = crate::costs::write_costs(out, &taobao.products, day_of(config, config.days / 2))?;
    let expenses =
        crate::expenses::write_expenses(out, &taobao.products, day_of(config, config.days / 2))?;
    let scale = crate::ads::scale_of(config.order_lines);
    let (ztc, image_test) =
        crate::ads::write_ztc(out, config.seed, config.first_day, config.days, 30, scale)?;
    let google_ads =
        crate::ads::write_google_ads(out, config.seed, config.first_day, config.days, scale)?;
    let unsettled = taobao.bill.planted.clone();
    let bill = taobao.bill.finish()?;
    let mut planted = taobao
        .planted
        .describe("demo-taobao", &taobao.products, |i| day_of(config, i));
    planted.push(crate::PlantedProblem {
        shop: "demo-taobao",
        kind: "money_losing_product",
        subject: Some(costs.1.losing.clone()),
        from: config.first_day,
    });
    for (shop, plan) in [
        ("demo-taobao", crate::ads::LOSING_PLAN),
        ("demo-shopify", crate::ads::LOSING_CAMPAIGN),
    ] {
        planted.push(crate::PlantedProblem {
            shop,
            kind: "losing_ad_plan",
            subject: Some(plan.to_owned()),
            from: config.first_day,
        });
    }
    planted.push(crate::PlantedProblem {
        shop: "demo-taobao",
        kind: "winning_creative",
        subject: Some(image_test.name.to_owned()),
        from: image_test.started_on,
    });
    if let Some(order) = unsettled {
        planted.push(crate::PlantedProblem {
            shop: "demo-taobao",
            kind: "unsettled_order",
            subject: Some(order),
            from: day_of(config, config.days.saturating_sub(21)),
        });
    }
    Ok(DemoOutput {
        planted,
        shops: vec![
            DemoShop {
                name: "demo-taobao",
                platform: "taobao",
                currency: "CNY",
                timezone: "Asia/Shanghai",
                files: tb_files,
                reviews: Some(reviews),
                tracking: Some(tracking),
                costs: Some(costs),
                cost_sheets: vec![bill, expenses],
                ad_reports: vec![ztc],
                settings: Vec::new(),
                tests: vec![image_test],
            },
            DemoShop {
                name: "demo-shopify",
                platform: "shopify",
                currency: "USD",
                timezone: "America/New_York",
                files: sp_files,
                reviews: None,
                tracking: None,
                costs: None,
                cost_sheets: Vec::new(),
                ad_reports: vec![google_ads],
                settings: vec![(crate::ads::MARGIN_SETTING, crate::ads::SHOPIFY_MARGIN)],
                tests: Vec::new(),
            },
        ],
        order_lines: lines_written,
        orders: orders_written,
    })
}

fn day_of(config: &DemoConfig, index: u32) -> NaiveDate {
    config.first_day + Duration::days(i64::from(index))
}

/// A local time on a day, busiest in the evening.
fn time_on(rng: &mut ChaCha8Rng, day: NaiveDate) -> NaiveDateTime {
    const HOURS: [f64; 24] = [
        2.0, 1.0, 0.5, 0.3, 0.2, 0.3, 0.8, 1.5, 2.5, 4.0, 5.0, 5.0, 4.0, 4.0, 4.5, 4.5, 4.0, 3.5,
        4.0, 5.0, 6.0, 7.0, 6.5, 4.0,
    ];
    let total: f64 = HOURS.iter().sum();
    let mut x = rng.random::<f64>() * total;
    let mut hour = 0;
    for (h, w) in HOURS.iter().enumerate() {
        if x < *w {
            hour = h;
            break;
        }
        x -= w;
    }
    day.and_hms_opt(
        hour as u32,
        rng.random_range(0..60),
        rng.random_range(0..60),
    )
    .expect("valid time")
}

fn line_count(rng: &mut ChaCha8Rng) -> usize {
    1 + usize::from(rng.random::<f64>() < 0.3)
        + usize::from(rng.random::<f64>() < 0.1)
        + usize::from(rng.random::<f64>() < 0.03)
}

/// The lines of one order; `keeps` may refuse a product drawn (it is drawn again).
fn draw_lines(
    rng: &mut ChaCha8Rng,
    products: &[Product],
    picker: &Picker,
    keeps: &dyn Fn(&mut ChaCha8Rng, usize) -> bool,
) -> Vec<Line> {
    let discount = if rng.random::<f64>() < 0.2 {
        rng.random_range(5..=15)
    } else {
        0
    };
    (0..line_count(rng))
        .map(|_| {
            let mut product = picker.pick(rng);
            for _ in 0..20 {
                if keeps(rng, product) {
                    break;
                }
                product = picker.pick(rng);
            }
            let p = &products[product];
            // Cheap traffic drivers are bought by the handful, image items one at a time.
            let roll: f64 = rng.random();
            let quantity = match p.role {
                Role::Image => 1,
                Role::Traffic if roll < 0.3 => 2 + i64::from(roll < 0.1),
                _ if roll < 0.15 => 2,
                _ => 1,
            };
            let list = p.price * quantity;
            Line {
                product,
                sku: rng.random_range(0..p.skus.len()),
                quantity,
                list,
                paid: list * (100 - discount) / 100,
            }
        })
        .collect()
}

fn nickname(customer: u64) -> String {
    format!(
        "tb{:08x}",
        customer.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 36
    )
}

const TAOBAO_ORDER_HEADER: &[&str] = &[
    "订单编号",
    "买家会员名",
    "买家支付宝账号",
    "买家应付货款",
    "买家应付邮费",
    "买家支付积分",
    "总金额",
    "返点积分",
    "买家实际支付金额",
    "买家实际支付积分",
    "订单状态",
    "买家留言",
    "收货人姓名",
    "收货地址 ",
    "运送方式",
    "联系电话 ",
    "联系手机",
    "订单创建时间",
    "订单付款时间 ",
    "宝贝标题 ",
    "宝贝种类 ",
    "物流单号 ",
    "物流公司",
    "订单备注",
    "宝贝总数量",
    "店铺Id",
    "店铺名称",
    "订单关闭原因",
    "卖家服务费",
    "买家服务费",
    "发票抬头",
    "是否手机订单",
    "分阶段订单信息",
    "特权订金订单id",
    "定金排名",
    "修改后的sku",
    "修改后的收货地址",
    "异常信息",
    "天猫卡券抵扣",
    "集分宝抵扣",
    "是否是O2O交易",
    "退款金额",
];

const TAOBAO_LINE_HEADER: &[&str] = &[
    "订单编号",
    "子订单编号",
    "标题",
    "价格",
    "购买数量",
    "外部系统编号",
    "商品属性",
    "套餐信息",
    "备注",
    "订单状态",
    "商家编码",
    "买家实际支付金额",
    "退款状态",
    "退款金额",
];

struct Taobao {
    orders: CsvOut,
    lines: CsvOut,
    products: Vec<Product>,
    picker: Picker,
    customers: Customers,
    next_order: u64,
    sold: HashMap<(u32, usize), Sold>,
    planted: Planted,
    reviews: Reviews,
    tracking: Tracking,
    bill: Bill,
}

impl Taobao {
    fn order(
        &mut self,
        rng: &mut ChaCha8Rng,
        config: &DemoConfig,
        i: u32,
        last: u32,
    ) -> Result<u64, DemoError> {
        self.next_order += rng.random_range(10..2000);
        let order_no = self.next_order;
        let day = day_of(config, i);
        let created = time_on(rng, day);
        let customer = self.customers.next(rng, i);
        let planted = &self.planted;
        let lines = draw_lines(rng, &self.products, &self.picker, &|rng, p| {
            planted.keeps(rng, p, i)
        });
        let presale = lines.iter().any(|l| l.product == planted.presale);
        let goods: i64 = lines.iter().map(|l| l.paid).sum();
        let shipping = if rng.random::<f64>() < 0.85 {
            0
        } else {
            [600, 1000][rng.random_range(0..2)]
        };
        let age = last - i;
        // A presale order waits for its balance: placed, not paid.
        let unpaid = rng.random::<f64>() < 0.03 || presale;
        let paid_at = (!unpaid).then(|| created + Duration::seconds(rng.random_range(10..1800)));
        let refund_roll: f64 = rng.random();
        let refund_rate = self.planted.refund_rate(i);
        let full_refund = !unpaid && refund_roll < refund_rate;
        let partial_refund =
            !unpaid && !full_refund && lines.len() > 1 && refund_roll < refund_rate + 0.03;
        let (state, close_reason) = match (unpaid, full_refund) {
            (true, _) if age <= 1 || presale => ("等待买家付款", ""),
            (true, _) => ("交易关闭", "买家未付款"),
            (false, true) => ("交易关闭", "退款"),
            _ if age <= 1 => ("买家已付款，等待卖家发货", ""),
            _ if age <= 8 => ("卖家已发货，等待买家确认", ""),
            _ => ("交易成功", ""),
        };
        let shipped = matches!(state, "卖家已发货，等待买家确认" | "交易成功");
        let refund = if full_refund {
            goods + shipping
        } else if partial_refund {
            lines[0].paid
        } else {
            0
        };
        let (province, city, _) = PROVINCES[weighted(rng, PROVINCES.iter().map(|p| p.2))];
        let items: i64 = lines.iter().map(|l| l.quantity).sum();
        let fmt = |t: NaiveDateTime| t.format("%Y-%m-%d %H:%M:%S").to_string();
        let title = lines
            .iter()
            .map(|l| self.products[l.product].title.as_str())
            .collect::<Vec<_>>()
            .join("，");
        let paid_total = goods + shipping;
        self.orders.row(&[
            wrapped(order_no),
            nickname(customer),
            String::new(),
            amount(goods),
            amount(shipping),
            "0".into(),
            amount(paid_total),
            "0".into(),
            amount(if paid_at.is_some() { paid_total } else { 0 }),
            "0".into(),
            state.into(),
            if rng.random::<f64>() < 0.05 {
                MESSAGES[rng.random_range(0..MESSAGES.len())].into()
            } else {
                String::new()
            },
            "*".into(),
            format!(
                "{province} {city} 某某路{}号(000000)",
                rng.random_range(1..300)
            ),
            "快递".into(),
            String::new(),
            format!(
                "'1{:010}",
                rng.random_range(3_000_000_000u64..9_999_999_999)
            ),
            fmt(created),
            paid_at.map(fmt).unwrap_or_default(),
            title,
            lines.len().to_string(),
            if shipped {
                wrapped(format!("YT{}", order_no % 10_000_000_000_000))
            } else {
                String::new()
            },
            if shipped {
                CARRIERS[(order_no % 4) as usize].into()
            } else {
                String::new()
            },
            String::new(),
            items.to_string(),
            "0".into(),
            "掌柜演示店".into(),
            close_reason.into(),
            "0".into(),
            "0".into(),
            String::new(),
            if rng.random::<f64>() < 0.85 {
                "手机订单".into()
            } else {
                String::new()
            },
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            "0.00".into(),
            "0.00".into(),
            "否".into(),
            amount(refund),
        ])?;
        if shipped {
            let buyer = nickname(customer);
            let tracking_no = format!("YT{}", order_no % 10_000_000_000_000);
            let finished = Finished {
                order_no,
                buyer: &buyer,
                title: &self.products[lines[0].product].title,
                created,
                paid: paid_at,
                carrier: CARRIERS[(order_no % 4) as usize],
                tracking_no: &tracking_no,
                city,
            };
            let end = day_of(config, last)
                .and_hms_opt(23, 59, 59)
                .expect("valid time");
            if state == "交易成功" {
                self.reviews
                    .order(&finished, i >= self.planted.refunds_from, end)?;
            }
            if age <= 10 {
                self.tracking.order(&finished, end)?;
            }
            if let (Some(paid), "交易成功") = (paid_at, state) {
                self.bill
                    .order(order_no, i, paid, paid_total, refund, finished.title)?;
            }
        }
        for (k, line) in lines.iter().enumerate() {
            let p = &self.products[line.product];
            let (sku, props) = &p.skus[line.sku];
            let line_refund = if full_refund || (partial_refund && k == 0) {
                line.paid
            } else {
                0
            };
            self.lines.row(&[
                wrapped(order_no),
                wrapped(order_no + k as u64 + 1),
                p.title.clone(),
                amount(p.price),
                line.quantity.to_string(),
                sku.clone(),
                props.clone(),
                String::new(),
                String::new(),
                state.into(),
                p.code.clone(),
                amount(line.paid),
                if line_refund > 0 {
                    "退款成功".into()
                } else {
                    "没有申请退款".into()
                },
                amount(line_refund),
            ])?;
            if paid_at.is_some() {
                let sold = self.sold.entry((i, line.product)).or_default();
                sold.orders += 1;
                sold.units += line.quantity;
                sold.amount += line.paid;
            }
        }
        Ok(lines.len() as u64)
    }
}

const SHOPIFY_HEADER: &[&str] = &[
    "Name",
    "Email",
    "Financial Status",
    "Paid at",
    "Fulfillment Status",
    "Fulfilled at",
    "Accepts Marketing",
    "Currency",
    "Subtotal",
    "Shipping",
    "Taxes",
    "Total",
    "Discount Code",
    "Discount Amount",
    "Shipping Method",
    "Created at",
    "Lineitem quantity",
    "Lineitem name",
    "Lineitem price",
    "Lineitem compare at price",
    "Lineitem sku",
    "Lineitem requires shipping",
    "Lineitem taxable",
    "Lineitem fulfillment status",
    "Billing Name",
    "Billing Country",
    "Shipping Name",
    "Shipping Country",
    "Notes",
    "Cancelled at",
    "Payment Method",
    "Refunded Amount",
    "Vendor",
    "Id",
    "Tags",
    "Source",
    "Lineitem discount",
];

struct Shopify {
    out: CsvOut,
    products: Vec<Product>,
    picker: Picker,
    customers: Customers,
    next_order: u64,
    tz: chrono_tz::Tz,
}

impl Shopify {
    fn order(
        &mut self,
        rng: &mut ChaCha8Rng,
        config: &DemoConfig,
        i: u32,
        last: u32,
    ) -> Result<u64, DemoError> {
        let name = format!("#{}", self.next_order);
        self.next_order += 1;
        let customer = self.customers.next(rng, i);
        let local = time_on(rng, day_of(config, i));
        let created = self
            .tz
            .from_local_datetime(&local)
            .earliest()
            .unwrap_or_else(|| self.tz.from_utc_datetime(&local));
        let fmt = |t: chrono::DateTime<chrono_tz::Tz>| t.format("%Y-%m-%d %H:%M:%S %z").to_string();
        let lines = draw_lines(rng, &self.products, &self.picker, &|_, _| true);
        let subtotal: i64 = lines.iter().map(|l| l.paid).sum();
        let discount: i64 = lines.iter().map(|l| l.list - l.paid).sum();
        let shipping = if subtotal >= 5000 { 0 } else { 599 };
        let taxes = subtotal * 8 / 100;
        let total = subtotal + shipping + taxes;
        let roll: f64 = rng.random();
        let age = last - i;
        let (financial, refunded) = if roll < 0.02 && age <= 2 {
            ("pending", 0)
        } else if roll < 0.05 {
            ("refunded", total)
        } else if roll < 0.07 {
            ("partially_refunded", lines[0].paid)
        } else {
            ("paid", 0)
        };
        let paid_at =
            (financial != "pending").then(|| created + Duration::seconds(rng.random_range(5..120)));
        let fulfilled = (financial != "pending" && age > 2)
            .then(|| created + Duration::hours(rng.random_range(12..72)));
        let email = format!("customer{customer}@example.com");
        let country = ["US", "US", "US", "CA", "GB"][rng.random_range(0..5)];
        for (k, line) in lines.iter().enumerate() {
            let p = &self.products[line.product];
            let first = k == 0;
            let order_field = |v: String| if first { v } else { String::new() };
            self.out.row(&[
                name.clone(),
                email.clone(),
                order_field(financial.into()),
                order_field(paid_at.map(fmt).unwrap_or_default()),
                order_field(if fulfilled.is_some() {
                    "fulfilled".into()
                } else {
                    "unfulfilled".into()
                }),
                order_field(fulfilled.map(fmt).unwrap_or_default()),
                order_field("no".into()),
                order_field("USD".into()),
                order_field(amount(subtotal)),
                order_field(amount(shipping)),
                order_field(amount(taxes)),
                order_field(amount(total)),
                order_field(if discount > 0 {
                    "WELCOME".into()
                } else {
                    String::new()
                }),
                order_field(amount(discount)),
                order_field("Standard".into()),
                order_field(fmt(created)),
                line.quantity.to_string(),
                p.title.clone(),
                amount(p.price),
                String::new(),
                p.skus[line.sku].0.clone(),
                "true".into(),
                "true".into(),
                if fulfilled.is_some() {
                    "fulfilled".into()
                } else {
                    "pending".into()
                },
                order_field(format!("Customer {customer}")),
                order_field(country.into()),
                order_field(format!("Customer {customer}")),
                order_field(country.into()),
                String::new(),
                String::new(),
                order_field("Shopify Payments".into()),
                order_field(amount(refunded)),
                "zhanggui demo".into(),
                order_field((5_000_000_000 + self.next_order).to_string()),
                String::new(),
                order_field("web".into()),
                amount(line.list - line.paid),
            ])?;
        }
        Ok(lines.len() as u64)
    }
}

fn weighted(rng: &mut ChaCha8Rng, weights: impl Iterator<Item = f64> + Clone) -> usize {
    let total: f64 = weights.clone().sum();
    let mut x = rng.random::<f64>() * total;
    for (i, w) in weights.enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    0
}

/// The product-per-day report (生意参谋 商品效果), UTF-8 with a BOM and a title line.
fn write_product_days(
    rng: &mut ChaCha8Rng,
    config: &DemoConfig,
    out: &Path,
    products: &[Product],
    sold: &HashMap<(u32, usize), Sold>,
    factors: &[f64],
    orders_per_factor: f64,
    planted: &Planted,
) -> Result<std::path::PathBuf, DemoError> {
    let total_weight: f64 = products.iter().map(|p| p.weight).sum();
    let title = format!(
        "商品效果明细 {}~{}",
        config.first_day,
        day_of(config, config.days - 1)
    );
    let mut csv = CsvOut::create(&out.join("商品效果_日报.csv"), false, Some(&title))?;
    csv.row(&[
        "统计日期",
        "商品ID",
        "商家编码",
        "商品名称",
        "所属类目",
        "商品访客数",
        "商品浏览量",
        "商品收藏人数",
        "加购人数",
        "下单买家数",
        "支付买家数",
        "支付件数",
        "支付金额",
        "支付转化率",
    ])?;
    for i in 0..config.days {
        for (k, p) in products.iter().enumerate() {
            if !planted.listed(k, i) {
                continue;
            }
            let s = sold.get(&(i, k)).copied().unwrap_or_default();
            let expected =
                orders_per_factor * factors[i as usize] * LINES_PER_ORDER * p.weight / total_weight;
            let visitors =
                ((expected / p.conversion) * rng.random_range(0.85..1.15)).round() as i64;
            let visitors = visitors.max(s.orders);
            if visitors == 0 {
                continue;
            }
            let conversion = s.orders as f64 / visitors as f64 * 100.0;
            csv.row(&[
                day_of(config, i).to_string(),
                p.item_id.to_string(),
                p.code.clone(),
                p.title.clone(),
                p.category.clone(),
                visitors.to_string(),
                ((visitors as f64) * rng.random_range(1.3..1.8))
                    .round()
                    .to_string(),
                ((visitors as f64) * rng.random_range(0.03..0.08))
                    .round()
                    .to_string(),
                ((visitors as f64) * rng.random_range(0.05..0.12))
                    .round()
                    .to_string(),
                (s.orders + (s.orders as f64 * 0.08).round() as i64).to_string(),
                s.orders.to_string(),
                s.units.to_string(),
                amount(s.amount),
                format!("{conversion:.2}%"),
            ])?;
        }
    }
    csv.finish()
}

/// The traffic-source report (生意参谋 流量来源) as an XLSX workbook with Excel dates and the
/// peer benchmark rows 同行同层平均 / 同行同层优秀; 直通车's budget bursts and their pull on
/// 手淘搜索 planted (`paid_pull`).
fn write_source_days(
    rng: &mut ChaCha8Rng,
    config: &DemoConfig,
    out: &Path,
    products: &[Product],
    sold: &HashMap<(u32, usize), Sold>,
    planted: &Planted,
) -> Result<std::path::PathBuf, DemoError> {
    let path = out.join("流量来源_日报.xlsx");
    let xlsx = |e: rust_xlsxwriter::XlsxError| DemoError::write(&path, e);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("流量来源").map_err(xlsx)?;
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    sheet.write_string(0, 0, "流量来源明细").map_err(xlsx)?;
    let header = [
        "统计日期",
        "流量来源",
        "访客数",
        "下单买家数",
        "支付买家数",
        "支付转化率",
        "支付金额",
        "UV价值",
    ];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).map_err(xlsx)?;
    }
    let mut row = 3u32;
    let mut bursts = Bursts::new(config.days);
    for i in 0..config.days {
        let (buyers, paid): (i64, i64) = (0..products.len())
            .filter_map(|k| sold.get(&(i, k)))
            .fold((0, 0), |(b, a), s| (b + s.orders, a + s.amount));
        // What the day would have had without the halved source's missing buyers.
        let factor = planted.order_factor(i);
        let (buyers, paid) = (
            (buyers as f64 / factor).round() as i64,
            (paid as f64 / factor).round() as i64,
        );
        let shop_conversion = 0.021 * rng.random_range(0.9..1.1);
        let visitors = (buyers as f64 / shop_conversion).round() as i64;
        let weights: f64 = SOURCES.iter().map(|(_, share, conv)| share * conv).sum();
        let day = day_of(config, i);
        let excel_day = rust_xlsxwriter::ExcelDateTime::from_ymd(
            day.format("%Y").to_string().parse().unwrap_or(2025),
            day.format("%m").to_string().parse().unwrap_or(1),
            day.format("%d").to_string().parse().unwrap_or(1),
        )
        .map_err(xlsx)?;
        let mut put = |source: &str, v: i64, b: i64, amount_minor: i64| -> Result<(), DemoError> {
            sheet
                .write_datetime_with_format(row, 0, &excel_day, &date_format)
                .map_err(xlsx)?;
            sheet.write_string(row, 1, source).map_err(xlsx)?;
            sheet.write_number(row, 2, v as f64).map_err(xlsx)?;
            sheet
                .write_number(row, 3, (b as f64 * 1.08).round())
                .map_err(xlsx)?;
            sheet.write_number(row, 4, b as f64).map_err(xlsx)?;
            let conversion = if v > 0 {
                b as f64 / v as f64 * 100.0
            } else {
                0.0
            };
            sheet
                .write_string(row, 5, format!("{conversion:.2}%"))
                .map_err(xlsx)?;
            sheet
                .write_number(row, 6, amount_minor as f64 / 100.0)
                .map_err(xlsx)?;
            let uv = if v > 0 {
                amount_minor as f64 / 100.0 / v as f64
            } else {
                0.0
            };
            sheet
                .write_number(row, 7, (uv * 100.0).round() / 100.0)
                .map_err(xlsx)?;
            row += 1;
            Ok(())
        };
        for (source, share, conv) in SOURCES {
            let f = planted.source_factor(source, i);
            let mut v = (visitors as f64 * share * f).round() as i64;
            if *source == BURST_SOURCE && bursts.in_burst(i) {
                bursts.record(day, 2.0 * v as f64);
                v *= 3;
            } else if *source == PULLED_SOURCE {
                v += bursts.lift(day).round() as i64;
            }
            let b = (buyers as f64 * share * conv / weights * f).round() as i64;
            let a = (paid as f64 * share * conv / weights * f).round() as i64;
            put(source, v, b, a)?;
        }
        let peer_visitors = (visitors as f64 * 1.15).round() as i64;
        put(
            "同行同层平均",
            peer_visitors,
            (peer_visitors as f64 * 0.024).round() as i64,
            (paid as f64 * 1.2).round() as i64,
        )?;
        put(
            "同行同层优秀",
            peer_visitors * 3,
            (peer_visitors as f64 * 3.0 * 0.035).round() as i64,
            (paid as f64 * 4.0).round() as i64,
        )?;
    }
    book.save(&path).map_err(xlsx)?;
    Ok(path)
}
