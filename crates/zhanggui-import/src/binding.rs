//! A format bound to one file's header: which column holds which field, and how each row
//! becomes normalised records. Presets and column mappings both end here.

use chrono_tz::Tz;
use rust_decimal::Decimal;
use zhanggui_domain::records::{
    BenchmarkRecord, LineRecord, OrderRecord, ProductDayRecord, Record, RefundRecord,
    SourceDayRecord,
};
use zhanggui_domain::{BuyerId, LineKey, OrderNo, OrderState, ProductCode, RefundNo};

use crate::fields::{Field, RowKind};
use crate::read::{Header, Row};
use crate::values::{self, non_empty};

/// Sets the state of rows whose column starts with a prefix (Online Retail's `C` invoices
/// are cancellations).
#[derive(Debug, Clone, PartialEq)]
pub struct StateRule {
    pub column: usize,
    pub column_name: String,
    pub starts_with: String,
    pub state: OrderState,
}

/// The shop facts that parsing needs.
#[derive(Debug, Clone, Copy)]
pub struct ShopContext {
    pub timezone: Tz,
    /// Decimal places of the shop currency's minor unit.
    pub exponent: u32,
}

/// Why one cell of one row was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub column: String,
    pub value: String,
    pub reason: String,
}

/// A parser of one benchmark value.
type DecimalParser = fn(&str) -> Result<Option<Decimal>, String>;

/// Names of traffic-source rows that carry peer benchmarks instead of the shop's traffic.
const PEER_AVERAGE: &[&str] = &["同行同层平均", "同行平均", "同层平均"];
const PEER_EXCELLENT: &[&str] = &["同行同层优秀", "同行优秀", "同层优秀"];

/// A format bound to a header.
#[derive(Debug, Clone)]
pub struct Binding {
    /// The preset id or mapping name, recorded with the import.
    pub format: String,
    pub kind: RowKind,
    columns: Vec<Option<usize>>,
    names: Vec<String>,
    pub default_state: Option<OrderState>,
    pub state_rules: Vec<StateRule>,
}

/// Collects the problems of one row while its fields are parsed.
struct RowParse<'a> {
    binding: &'a Binding,
    row: &'a Row,
    problems: Vec<Problem>,
}

impl<'a> RowParse<'a> {
    fn raw(&self, field: Field) -> Option<&'a str> {
        let col = self.binding.columns[field as usize]?;
        self.row.get(col)
    }

    fn text(&self, field: Field) -> Option<String> {
        self.raw(field).and_then(non_empty).map(str::to_owned)
    }

    fn get<T>(
        &mut self,
        field: Field,
        parse: impl Fn(&str) -> Result<Option<T>, String>,
    ) -> Option<T> {
        let raw = self.raw(field)?;
        match parse(raw) {
            Ok(v) => v,
            Err(reason) => {
                self.problem(field, raw, reason);
                None
            }
        }
    }

    fn problem(&mut self, field: Field, raw: &str, reason: String) {
        let column = self.binding.columns[field as usize]
            .and_then(|c| self.binding.names.get(c).cloned())
            .unwrap_or_else(|| field.as_str().to_owned());
        self.problems.push(Problem {
            column,
            value: raw.to_owned(),
            reason,
        });
    }

    fn required<T>(&mut self, field: Field, value: Option<T>) -> Option<T> {
        if value.is_none()
            && !self
                .problems
                .iter()
                .any(|p| p.column == self.column_name(field))
        {
            let raw = self.raw(field).unwrap_or("").to_owned();
            self.problem(field, &raw, format!("{} is required", field.doc()));
        }
        value
    }

    fn column_name(&self, field: Field) -> String {
        self.binding.columns[field as usize]
            .and_then(|c| self.binding.names.get(c).cloned())
            .unwrap_or_else(|| field.as_str().to_owned())
    }
}

impl Binding {
    /// Binds fields to column indices of `header`.
    pub fn new(format: String, kind: RowKind, header: &Header, bound: &[(Field, usize)]) -> Self {
        let mut columns = vec![None; Field::ALL.len()];
        for (field, col) in bound {
            columns[*field as usize] = Some(*col);
        }
        Binding {
            format,
            kind,
            columns,
            names: header.names.clone(),
            default_state: None,
            state_rules: Vec::new(),
        }
    }

    /// The column bound to a field.
    pub fn column(&self, field: Field) -> Option<usize> {
        self.columns[field as usize]
    }

    /// Turns one row into records (appended to `out`), or says what is wrong with it.
    pub fn parse_row(
        &self,
        row: &Row,
        ctx: &ShopContext,
        out: &mut Vec<Record>,
    ) -> Result<(), Vec<Problem>> {
        let mut p = RowParse {
            binding: self,
            row,
            problems: Vec::new(),
        };
        match self.kind {
            RowKind::Orders => {
                let order = self.order(&mut p, ctx);
                if p.problems.is_empty() {
                    out.push(Record::order(order));
                }
            }
            RowKind::OrderLines => {
                let order = self.order(&mut p, ctx);
                let line = self.line(&mut p, ctx, &order);
                if p.problems.is_empty() {
                    out.push(Record::line(line, order));
                }
            }
            RowKind::ProductDays => {
                let day = self.product_day(&mut p, ctx);
                if p.problems.is_empty() {
                    out.push(Record::ProductDay(Box::new(day)));
                }
            }
            RowKind::SourceDays => self.source_day(&mut p, ctx, out),
            RowKind::Refunds => {
                let refund = self.refund(&mut p, ctx);
                if p.problems.is_empty() {
                    out.push(Record::Refund(Box::new(refund)));
                }
            }
        }
        if p.problems.is_empty() {
            Ok(())
        } else {
            Err(p.problems)
        }
    }

    fn order(&self, p: &mut RowParse<'_>, ctx: &ShopContext) -> OrderRecord {
        let tz = ctx.timezone;
        let exp = ctx.exponent;
        let money = move |s: &str| values::parse_money(s, exp);
        let instant = move |s: &str| values::parse_instant(s, tz);
        let order_no = p.get(Field::OrderNo, values::parse_id);
        let order_no = p
            .required(Field::OrderNo, order_no)
            .and_then(|s| OrderNo::from_string(s).ok());
        let mut order = OrderRecord {
            order_no,
            state: p.get(Field::State, values::parse_state),
            created_at: p.get(Field::CreatedAt, instant),
            paid_at: p.get(Field::PaidAt, instant),
            shipped_at: p.get(Field::ShippedAt, instant),
            completed_at: p.get(Field::CompletedAt, instant),
            closed_at: p.get(Field::ClosedAt, instant),
            buyer: p
                .get(Field::Buyer, values::parse_id)
                .and_then(|b| BuyerId::from_string(b).ok()),
            region: p
                .text(Field::Region)
                .or_else(|| p.raw(Field::Address).and_then(values::region_of_address)),
            channel: p.text(Field::Channel).map(|c| match c.as_str() {
                "是" | "手机订单" => "mobile".to_owned(),
                "否" => "pc".to_owned(),
                _ => c,
            }),
            buyer_message: p.text(Field::BuyerMessage),
            seller_note: p.text(Field::SellerNote),
            tracking_no: p.get(Field::TrackingNo, values::parse_id),
            carrier: p.text(Field::Carrier),
            close_reason: p.text(Field::CloseReason),
            goods_amount: p.get(Field::GoodsAmount, money),
            discount_amount: p.get(Field::DiscountAmount, money),
            paid_amount: p.get(Field::PaidAmount, money),
            shipping_fee: p.get(Field::ShippingFee, money),
            refund_amount: p.get(Field::RefundAmount, money),
            item_count: p.get(Field::ItemCount, values::parse_count),
        };
        if order.state.is_none() {
            order.state = self.derived_state(p, &order);
        }
        order
    }

    /// The state when no state column says it: a mapping's rules, then Shopify-style
    /// statuses, then the mapping's default.
    fn derived_state(&self, p: &RowParse<'_>, order: &OrderRecord) -> Option<OrderState> {
        for rule in &self.state_rules {
            if p.row
                .get(rule.column)
                .is_some_and(|v| values::clean(v).starts_with(&rule.starts_with))
            {
                return Some(rule.state);
            }
        }
        if order.closed_at.is_some() {
            return Some(OrderState::Closed);
        }
        let financial = p.text(Field::FinancialStatus).map(|s| s.to_lowercase());
        let fulfillment = p.text(Field::FulfillmentStatus).map(|s| s.to_lowercase());
        if let Some(financial) = financial.as_deref() {
            let shipped = matches!(fulfillment.as_deref(), Some("fulfilled" | "partial"));
            return Some(match financial {
                "pending" | "authorized" | "partially_paid" | "unpaid" => OrderState::Created,
                "refunded" | "voided" => OrderState::Closed,
                _ if shipped => OrderState::Shipped,
                _ => OrderState::Paid,
            });
        }
        self.default_state
    }

    fn line(&self, p: &mut RowParse<'_>, ctx: &ShopContext, order: &OrderRecord) -> LineRecord {
        let exp = ctx.exponent;
        let money = move |s: &str| values::parse_money(s, exp);
        let quantity = p.get(Field::Quantity, values::parse_count);
        let quantity = p.required(Field::Quantity, quantity).unwrap_or(0);
        let price = p.get(Field::UnitPrice, values::parse_decimal);
        let discount = p.get(Field::LineDiscount, money);
        let paid = p.get(Field::LinePaidAmount, money);
        let title = p.text(Field::Title);
        let sku_code = p
            .get(Field::SkuCode, values::parse_id)
            .and_then(|s| ProductCode::from_string(s).ok());
        let product_code = p
            .get(Field::ProductCode, values::parse_id)
            .and_then(|s| ProductCode::from_string(s).ok())
            .or_else(|| sku_code.clone())
            .or_else(|| title.as_deref().and_then(|t| ProductCode::parse(t).ok()));
        let mut unit_price = None;
        let mut computed_paid = None;
        if let Some(price) = price {
            match values::to_minor(price, exp) {
                Ok(v) => unit_price = Some(v),
                Err(reason) => p.problem(Field::UnitPrice, &price.to_string(), reason),
            }
            // The line amount from the exact price, rounded once: 0.001 x 1000 is 1.00.
            match price
                .checked_mul(Decimal::from(quantity))
                .ok_or_else(|| "the line amount is too large".to_owned())
                .and_then(|a| values::to_minor(a, exp))
            {
                Ok(v) => computed_paid = Some(v - discount.unwrap_or(0)),
                Err(reason) => p.problem(Field::UnitPrice, &price.to_string(), reason),
            }
        }
        LineRecord {
            order_no: order.order_no.clone(),
            line_key: p
                .get(Field::LineKey, values::parse_id)
                .and_then(|k| LineKey::from_string(k).ok()),
            product_code,
            sku_code,
            title,
            category: p.text(Field::Category),
            sku_properties: p.text(Field::SkuProperties),
            quantity,
            unit_price,
            discount_amount: discount,
            paid_amount: paid.or(computed_paid),
            refund_amount: p.get(Field::LineRefundAmount, money),
            refund_status: p.text(Field::RefundStatus),
            state: order.state,
        }
    }

    fn refund(&self, p: &mut RowParse<'_>, ctx: &ShopContext) -> RefundRecord {
        let exp = ctx.exponent;
        let tz = ctx.timezone;
        let instant = move |s: &str| values::parse_instant(s, tz);
        let refund_no = p.get(Field::RefundNo, values::parse_id);
        let refund_no = p
            .required(Field::RefundNo, refund_no)
            .and_then(|s| RefundNo::from_string(s).ok());
        RefundRecord {
            refund_no,
            order_no: p
                .get(Field::OrderNo, values::parse_id)
                .and_then(|s| OrderNo::from_string(s).ok()),
            product_code: p
                .get(Field::ProductCode, values::parse_id)
                .and_then(|s| ProductCode::from_string(s).ok()),
            title: p.text(Field::Title),
            amount: p.get(Field::RefundAmount, move |s| values::parse_money(s, exp)),
            status: p.text(Field::RefundStatus),
            reason: p.text(Field::RefundReason),
            requested_at: p.get(Field::RefundRequestedAt, instant),
            completed_at: p.get(Field::RefundCompletedAt, instant),
            goods_returned: p.get(Field::GoodsReturned, values::parse_yes_no),
        }
    }

    fn product_day(&self, p: &mut RowParse<'_>, ctx: &ShopContext) -> ProductDayRecord {
        let exp = ctx.exponent;
        let code = p
            .get(Field::ProductCode, values::parse_id)
            .and_then(|s| ProductCode::from_string(s).ok());
        let day = p.get(Field::Day, values::parse_date);
        ProductDayRecord {
            product_code: p.required(Field::ProductCode, code),
            day: p.required(Field::Day, day),
            title: p.text(Field::Title),
            category: p.text(Field::Category),
            visitors: p.get(Field::Visitors, values::parse_count),
            page_views: p.get(Field::PageViews, values::parse_count),
            favourites: p.get(Field::Favourites, values::parse_count),
            add_to_cart: p.get(Field::AddToCart, values::parse_count),
            order_buyers: p.get(Field::OrderBuyers, values::parse_count),
            buyers: p.get(Field::Buyers, values::parse_count),
            paid_units: p.get(Field::PaidUnits, values::parse_count),
            paid_amount: p.get(Field::PaidAmount, move |s| values::parse_money(s, exp)),
            paid_orders: p.get(Field::PaidOrders, values::parse_count),
        }
    }

    fn source_day(&self, p: &mut RowParse<'_>, ctx: &ShopContext, out: &mut Vec<Record>) {
        let exp = ctx.exponent;
        let source = p.text(Field::Source);
        let source = p.required(Field::Source, source);
        let day = p.get(Field::Day, values::parse_date);
        let day = p.required(Field::Day, day);
        let average = source.as_deref().is_some_and(|s| PEER_AVERAGE.contains(&s));
        let excellent = source
            .as_deref()
            .is_some_and(|s| PEER_EXCELLENT.contains(&s));
        if average || excellent {
            let metrics: [(Field, &str, DecimalParser); 7] = [
                (Field::Visitors, "visitors", values::parse_decimal),
                (Field::PageViews, "page_views", values::parse_decimal),
                (Field::OrderBuyers, "order_buyers", values::parse_decimal),
                (Field::Buyers, "buyers", values::parse_decimal),
                (Field::PaidAmount, "paid_amount", values::parse_decimal),
                (
                    Field::PayConversion,
                    "pay_conversion",
                    values::parse_percent,
                ),
                (Field::UvValue, "uv_value", values::parse_decimal),
            ];
            let mut found = Vec::new();
            for (field, metric, parse) in metrics {
                if let Some(value) = p.get(field, parse) {
                    found.push(Record::Benchmark(Box::new(BenchmarkRecord {
                        metric: metric.to_owned(),
                        day,
                        peer_average: average.then_some(value),
                        peer_excellent: excellent.then_some(value),
                    })));
                }
            }
            if p.problems.is_empty() {
                out.extend(found);
            }
            return;
        }
        let record = SourceDayRecord {
            source,
            day,
            visitors: p.get(Field::Visitors, values::parse_count),
            page_views: p.get(Field::PageViews, values::parse_count),
            order_buyers: p.get(Field::OrderBuyers, values::parse_count),
            buyers: p.get(Field::Buyers, values::parse_count),
            paid_amount: p.get(Field::PaidAmount, move |s| values::parse_money(s, exp)),
            paid_orders: p.get(Field::PaidOrders, values::parse_count),
        };
        if p.problems.is_empty() {
            out.push(Record::SourceDay(Box::new(record)));
        }
    }
}
