//! The command-line grammar.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// zhanggui (掌柜): every store's exports in one place, with numbers you can trust.
#[derive(Debug, Parser)]
#[command(name = "zhanggui", version, about, long_about = None)]
pub struct Cli {
    /// The database file [default: zhanggui.duckdb in the user's data directory]
    #[arg(long, global = true, env = "ZHANGGUI_DB")]
    pub db: Option<PathBuf>,

    /// Print results as JSON
    #[arg(long, global = true)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Add and list shops
    Shop(ShopArgs),
    /// Import export files into a shop
    Import(ImportArgs),
    /// Write a column mapping for a file no preset knows
    Mapping(MappingArgs),
    /// Per-shop date range and counts
    Summary,
    /// Build the demo store in a database of its own and show its summary
    Demo(DemoArgs),
    /// Bring the database schema up to date (also done on every start)
    Migrate,
    /// Move a whole installation between a database file and a PostgreSQL server, every
    /// table verified by its row count and checksum
    Copy(CopyArgs),
    /// Every metric for a period against the period before (or a year earlier) and the
    /// peer tier, and why sales moved
    Report(ReportArgs),
    /// What is wrong and what to do: findings ranked by the money at stake
    Diagnose(DiagnoseArgs),
    /// Today so far against the same time yesterday and a week ago
    Today(TodayArgs),
    /// One metric by day, week, month, product, category, source, region, hour or device
    Metric(MetricArgs),
    /// The metric dictionary (指标字典)
    Metrics(MetricsArgs),
    /// Members (会员): RFM scores and segments
    Members(MembersArgs),
    /// Serve the web cockpit
    Serve(ServeArgs),
    /// Add and list the users of the web cockpit, set passwords, grant roles
    User(UserArgs),
    /// The reply-script library (话术库) of customer service: add, search, fill, import, export
    Script(ScriptArgs),
    /// Order follow-ups (跟单): unshipped, tracking stalled, unpaid (催付) and buyer
    /// requests, as tasks
    Task(TaskArgs),
    /// Buyers' reviews (评价): import, bad and medium review alerts, suggested replies,
    /// follow-up records and metrics
    Review(ReviewArgs),
    /// Alerts to DingTalk, WeCom, Feishu robots and e-mail: rules, sending, delivery log
    Notify(NotifyArgs),
    /// What selling costs: cost prices (成本价), bills, expense rules and ad spend; import,
    /// list, reconcile the bills with the orders
    Costs(CostsArgs),
    /// Profit for a period (利润: net sales less cost of goods, fees, shipping, packaging, ad
    /// spend and fixed costs) per order, SKU, product, category, day, month or channel
    Profit(ProfitArgs),
    /// Promotion (推广): import ad reports (直通车, 京东快车, 多多搜索, 巨量千川, Google Ads, Meta
    /// Ads, ...), each plan's ROI against break-even, and where to move the budget
    Ads(AdsArgs),
    /// Creative and image tests (横向测试): define a test, add its arms' counts, read it out
    Abtest(AbtestArgs),
}

#[derive(Debug, Args)]
pub struct AdsArgs {
    /// The shop [default: the only shop]
    #[arg(long, global = true)]
    pub shop: Option<String>,
    #[command(subcommand)]
    pub command: AdsCommand,
}

#[derive(Debug, Subcommand)]
pub enum AdsCommand {
    /// Import ad reports (CSV, XLSX; GBK or UTF-8): per day and plan, impressions, clicks,
    /// spend, attributed orders and sales; the tool told from the header. Importing a
    /// report again changes nothing
    Import {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The tool, when the header does not tell it (万相台, 引力魔方, 淘宝客, 多多场景, ...)
        #[arg(long)]
        tool: Option<String>,
        /// The attribution window, when the report has no column for it (e.g. 15天)
        #[arg(long)]
        attribution: Option<String>,
        /// Name a field's column: --map spend=消耗 (fields in docs/promotion.md)
        #[arg(long = "map", value_name = "FIELD=列名")]
        map: Vec<String>,
    },
    /// Each tool and plan (or creative, product, day) with CTR, CPC, CVR, ROI and its
    /// standing against break-even
    Report {
        #[command(flatten)]
        window: AdsWindow,
        /// What each row is about: campaign, creative, product, day or tool
        #[arg(long, default_value = "campaign")]
        by: String,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// The budget moves worth making between plans, and the split across tools by goal
    Budget {
        #[command(flatten)]
        window: AdsWindow,
        /// The share of a below-break-even plan's spend to move
        #[arg(long, default_value_t = 0.5)]
        share: f64,
        /// The most a receiving plan may gain, as a multiple of its spend
        #[arg(long, default_value_t = 1.0)]
        cap: f64,
        /// A tool's goal: --goal 引力魔方=exposure (sales or exposure)
        #[arg(long = "goal", value_name = "TOOL=GOAL")]
        goals: Vec<String>,
        /// A tool's target share of the budget: --target 直通车=0.6
        #[arg(long = "target", value_name = "TOOL=SHARE")]
        targets: Vec<String>,
        /// Keep --goal, --target and --margin as the shop's settings
        #[arg(long)]
        save: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
}

#[derive(Debug, Args)]
pub struct AdsWindow {
    /// 7d, 30d, a month (2025-10), a day or FROM..TO
    #[arg(long, default_value = "30d")]
    pub period: String,
    /// The day "the last N days" end on [default: the last day with ad rows]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// The margin break-even ROI is 1 over (0.25 for 25%) [default: the shop's setting
    /// promotion.margin, else its CM1 margin from the profit model]
    #[arg(long)]
    pub margin: Option<f64>,
}

#[derive(Debug, Args)]
pub struct AbtestArgs {
    /// The shop [default: the only shop]
    #[arg(long, global = true)]
    pub shop: Option<String>,
    #[command(subcommand)]
    pub command: AbtestCommand,
}

#[derive(Debug, Subcommand)]
pub enum AbtestCommand {
    /// Define a test with a fixed horizon: --units per arm, or --baseline and --mde to size
    /// it (Evan Miller's formula, 5% two-sided, 80% power)
    New {
        name: String,
        /// ctr, cvr, rate (a yes/no per unit) or mean (an amount per unit)
        #[arg(long)]
        metric: String,
        /// The first day [default: today]
        #[arg(long)]
        start: Option<String>,
        /// Units per arm before a verdict is read
        #[arg(long, conflicts_with_all = ["baseline", "mde"])]
        units: Option<i64>,
        /// The control's rate, to size the test (0.02 for 2%)
        #[arg(long, requires = "mde")]
        baseline: Option<f64>,
        /// The smallest absolute change worth finding (0.005 for half a point)
        #[arg(long, requires = "baseline")]
        mde: Option<f64>,
    },
    /// Set arms' counts: by hand (--arm, --units, --successes), from a file of units
    /// (--file with --arm-column and --outcome), or from an imported ad report's creative
    /// (--arm with --ads PLAN/CREATIVE)
    Add {
        name: String,
        #[arg(long)]
        arm: Option<String>,
        #[arg(long, requires = "arm")]
        units: Option<i64>,
        #[arg(long, requires = "units")]
        successes: Option<i64>,
        /// The sum of the amounts, for a mean test entered by hand
        #[arg(long, requires = "units")]
        sum: Option<f64>,
        /// The sum of the squared amounts, with --sum
        #[arg(long, requires = "sum")]
        sum_sq: Option<f64>,
        /// A file with one row per unit
        #[arg(long, conflicts_with_all = ["units", "ads"], requires_all = ["arm_column", "outcome"])]
        file: Option<PathBuf>,
        #[arg(long)]
        arm_column: Option<String>,
        #[arg(long)]
        outcome: Option<String>,
        /// An ad report's creative: PLAN/CREATIVE (counts since the test's first day)
        #[arg(long, requires = "arm", conflicts_with = "units")]
        ads: Option<String>,
    },
    /// A test's readout: each arm against the first, the p-value, the interval and the
    /// verdict (withheld until the horizon)
    Show {
        name: String,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Every test of the shop
    List,
}

#[derive(Debug, Args)]
pub struct CostsArgs {
    /// The shop [default: the only shop]
    #[arg(long, global = true)]
    pub shop: Option<String>,
    #[command(subcommand)]
    pub command: CostsCommand,
}

#[derive(Debug, Subcommand)]
pub enum CostsCommand {
    /// Import what the profit model deducts (CSV, XLSX; GBK or UTF-8), the kind told from
    /// the header: a cost sheet (商家编码, 成本价, 生效日期), a platform bill (支付宝账务明细,
    /// 结算单, 货款明细, payouts), an expense sheet (费用名称, 类别, 计费方式, 金额/比例), an
    /// ad spend sheet (日期, 花费, 渠道) or a courier bill (运单号, 运费, 计费重量)
    Import {
        file: PathBuf,
        /// The kind of sheet, when the header does not tell: prices, bill, expenses, ad-spend,
        /// courier
        #[arg(long)]
        kind: Option<String>,
        /// Name a field's column: --map unit_cost=进价 (the fields of each kind are in
        /// docs/profit.md)
        #[arg(long = "map", value_name = "FIELD=列名")]
        map: Vec<String>,
    },
    /// Every cost price, by product and the day it holds from
    List,
    /// Every expense rule, by name and the day it holds from
    Rules,
    /// Orders paid but absent from the bills after the settlement delay, and bill fees that
    /// name no order of the shop
    Reconcile {
        /// 7d, 30d, a month (2025-10), a day or FROM..TO
        #[arg(long, default_value = "30d")]
        period: String,
        /// The day "the last N days" end on [default: the last day with data]
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Days the platform takes to settle a paid order (Taobao settles on receipt)
        #[arg(long, default_value_t = 15)]
        settlement_days: i64,
        /// The platform's stated rate of a fee kind (commission, affiliate, payment), e.g.
        /// --rate commission=5%: orders whose bill booked another are listed
        #[arg(long = "rate", value_name = "KIND=RATE")]
        rates: Vec<String>,
        /// How far from the stated rate a fee may be, in percentage points
        #[arg(long, default_value_t = 0.5)]
        tolerance: f64,
    },
}

#[derive(Debug, Args)]
pub struct ProfitArgs {
    /// The shop [default: the only shop]
    #[arg(long)]
    pub shop: Option<String>,
    /// 7d, 30d, a month (2025-10), a day (2025-10-08) or FROM..TO (2025-10-01..2025-10-31)
    #[arg(long, default_value = "30d")]
    pub period: String,
    /// The day "the last N days" end on [default: the last day with data]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// What each row is about: order, sku, product, category, day, month or channel
    #[arg(long, default_value = "product")]
    pub by: String,
    /// Change a product-role threshold for this run, e.g. --set profit_margin=0.3 (keys:
    /// traffic_factor, traffic_margin, profit_margin, image_price, image_units_share,
    /// slow_share)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Keep the --set thresholds as the shop's own
    #[arg(long)]
    pub save: bool,
    /// The P&L by month of every shop, in one currency (--currency, --rate)
    #[arg(long, conflicts_with_all = ["shop", "by", "set"])]
    pub all_shops: bool,
    /// The currency of --all-shops [default: the first shop's]
    #[arg(long, requires = "all_shops")]
    pub currency: Option<String>,
    /// A rate for --all-shops: units of --currency per unit of a shop's currency, e.g.
    /// --rate USD=7.10
    #[arg(long = "rate", value_name = "CODE=RATE", requires = "all_shops")]
    pub rates: Vec<String>,
    #[command(flatten)]
    pub export: ExportArgs,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The shop [default: the only shop]
    #[arg(long, global = true)]
    pub shop: Option<String>,
    /// Act as this user (recorded on follow-ups; their scripts are suggested)
    #[arg(long = "as", value_name = "LOGIN", global = true)]
    pub actor: Option<String>,
    #[command(subcommand)]
    pub command: ReviewCommand,
}

#[derive(Debug, Subcommand)]
pub enum ReviewCommand {
    /// Import a review export (CSV, XLSX; GBK or UTF-8)
    Import {
        file: PathBuf,
        /// Name a field's column: --map text=评论 (fields: review_id, order_no, product,
        /// buyer, rating, text, reviewed_at, reply)
        #[arg(long = "map", value_name = "FIELD=列名")]
        map: Vec<String>,
    },
    /// The reviews, newest first, with what each says by DSR dimension
    List {
        /// Only open alerts (bad and medium reviews not dealt with)
        #[arg(long)]
        alerts: bool,
        /// Only this rating: good, medium or bad
        #[arg(long)]
        rating: Option<String>,
        /// At most this many
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// One review: its reading, the reply scripts that fit (filled for its order) and its
    /// follow-up record
    Show { id: String },
    /// Add to a review's follow-up record: contact, compensation (with --amount), note, or
    /// an outcome that ends it: changed, replied, closed
    Follow {
        id: String,
        action: String,
        /// Compensation offered, in the shop's currency (20 or 20.50)
        #[arg(long)]
        amount: Option<String>,
        #[arg(long)]
        note: Option<String>,
        /// When it happened, shop-local ("2025-11-30 12:00") [default: now]
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Bad-review rate, time to first contact, share of bad reviews changed
    Metrics {
        /// The last N days of reviews [default: all]
        #[arg(long)]
        days: Option<i64>,
    },
}

#[derive(Debug, Args)]
pub struct NotifyArgs {
    /// The shop [default: the only shop]
    #[arg(long, global = true)]
    pub shop: Option<String>,
    #[command(subcommand)]
    pub command: NotifyCommand,
}

#[derive(Debug, Subcommand)]
pub enum NotifyCommand {
    /// Add or replace a rule
    Add {
        name: String,
        /// dingtalk, wecom, feishu or email
        #[arg(long)]
        channel: String,
        /// The robot's webhook address, or the recipients (a@x.com,b@y.com) for email
        #[arg(long)]
        to: String,
        /// The robot's signing secret (加签: DingTalk SEC..., Feishu), or for email the SMTP
        /// server: smtp://user:password@host:587 (STARTTLS) or smtps://...:465
        #[arg(long)]
        secret: Option<String>,
        /// The From address of email
        #[arg(long)]
        from: Option<String>,
        /// Alert kinds to send [default: bad_review, medium_review, unshipped_late,
        /// tracking_stalled]
        #[arg(long = "event", value_name = "KIND")]
        events: Vec<String>,
    },
    /// The rules
    List,
    /// Remove a rule
    Remove { name: String },
    /// Send every alert not yet delivered by each rule (retrying failures)
    Run {
        /// The moment to look from, shop-local [default: the last order]
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Show what would be sent, send nothing
        #[arg(long)]
        dry_run: bool,
        /// Attempts per alert and rule
        #[arg(long, default_value_t = 3)]
        attempts: u32,
        /// Seconds to wait after the first failed attempt (doubled after each next one)
        #[arg(long, default_value_t = 2.0)]
        backoff: f64,
    },
    /// Send a test message through one rule
    Test { name: String },
    /// The delivery log
    Log {
        /// At most this many, newest last
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

#[derive(Debug, Args)]
pub struct TaskArgs {
    /// The shop [default: the only shop]
    #[arg(long, global = true)]
    pub shop: Option<String>,
    /// Act as this user (recorded on changes; their scripts fill the messages)
    #[arg(long = "as", value_name = "LOGIN", global = true)]
    pub actor: Option<String>,
    #[command(subcommand)]
    pub command: TaskCommand,
}

#[derive(Debug, Subcommand)]
pub enum TaskCommand {
    /// The open follow-ups, with the message to send
    List {
        /// The moment to look from, shop-local ("2025-11-30 12:00") [default: the last order]
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
        /// Paid and not shipped after this many hours
        #[arg(long, default_value_t = 24)]
        unshipped_hours: i64,
        /// ... and late after this many
        #[arg(long, default_value_t = 48)]
        late_hours: i64,
        /// Remind to pay within this many hours of the order
        #[arg(long, default_value_t = 24)]
        unpaid_hours: i64,
        /// Shipped, and the tracking not updated for this many hours
        #[arg(long, default_value_t = 48)]
        stalled_hours: i64,
        /// Also list the tasks marked done
        #[arg(long)]
        all: bool,
    },
    /// Give a task to a user
    Assign {
        kind: String,
        order: String,
        login: String,
    },
    /// Mark a task done
    Done { kind: String, order: String },
    /// Import logistics events (物流跟踪: order, time, status per row) for the
    /// tracking-stalled tasks
    Tracking {
        file: PathBuf,
        /// Name a field's column: --map status=物流信息 (fields: order_no, tracking_no,
        /// carrier, at, status)
        #[arg(long = "map", value_name = "FIELD=列名")]
        map: Vec<String>,
    },
}

#[derive(Debug, Args)]
pub struct ScriptArgs {
    /// The shop [default: the only shop]
    #[arg(long, global = true)]
    pub shop: Option<String>,
    /// Act as this user (their role and departments decide what they may see and change)
    /// [default: the administrator, who manages every script but owns none]
    #[arg(long = "as", value_name = "LOGIN", global = true)]
    pub actor: Option<String>,
    #[command(subcommand)]
    pub command: ScriptCommand,
}

/// A script's fields on the command line.
#[derive(Debug, Args)]
pub struct ScriptFields {
    /// First-level category (一级分类)
    #[arg(long)]
    pub category: Option<String>,
    /// Second-level category (二级分类)
    #[arg(long)]
    pub subcategory: Option<String>,
    #[arg(long)]
    pub title: Option<String>,
    /// The text; variables such as {买家昵称} are filled when it is sent
    #[arg(long)]
    pub text: Option<String>,
    /// A shortcut typed to find it at once, e.g. fh
    #[arg(long)]
    pub shortcut: Option<String>,
    /// A tag (repeat for more)
    #[arg(long = "tag")]
    pub tags: Vec<String>,
    /// A picture sent with the text: a PNG/JPEG/GIF/WebP file (stored beside the database),
    /// a stored image's name or an https:// address (repeat for more)
    #[arg(long = "image")]
    pub images: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ScriptCommand {
    /// Add a script
    Add {
        /// public (公共), department (部门) or personal (个人)
        #[arg(long, default_value = "public")]
        scope: String,
        /// The department of a department script
        #[arg(long)]
        department: Option<String>,
        #[command(flatten)]
        fields: ScriptFields,
    },
    /// Change a script (a new version; the old one is kept)
    Edit {
        id: i64,
        #[command(flatten)]
        fields: ScriptFields,
    },
    /// Delete a script (kept as a version that can be restored)
    Delete { id: i64 },
    /// The scripts you may see, by category
    List,
    /// Every version of a script
    History { id: i64 },
    /// Bring back an earlier version of a script (saved as a new version)
    Restore { id: i64, version: i32 },
    /// Find scripts: Chinese, pinyin (tuihuo), initials (fh), with a typo
    Search {
        query: String,
        /// Scripts listed
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// A script's text filled for an order (counts as a use)
    Fill {
        id: i64,
        /// Fill the variables from this order
        #[arg(long)]
        order: Option<String>,
        /// Set a variable, e.g. --set 买家昵称=小王 (repeat for more)
        #[arg(long = "set", value_name = "NAME=VALUE")]
        set: Vec<String>,
    },
    /// Write the whole library of the shop to CSV (standard output) or an Excel workbook
    Export {
        /// Write an Excel workbook instead of CSV
        #[arg(long, value_name = "FILE")]
        xlsx: Option<std::path::PathBuf>,
    },
    /// Read scripts from a CSV or XLSX file with the export's columns
    Import {
        file: std::path::PathBuf,
        /// Apply the rows that would change existing scripts (as new versions)
        #[arg(long)]
        replace: bool,
        /// Say what would happen, change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Departments (售前, 售后, ...) and who belongs to them
    Dept {
        #[command(subcommand)]
        action: DeptAction,
    },
    /// The knowledge base of buyer questions and answers, and answer suggestions
    Kb {
        #[command(subcommand)]
        action: KbAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum KbAction {
    /// The entries
    List,
    /// Read entries from a CSV or XLSX file (columns id, topic, question, answer, keywords);
    /// an entry with a known id is replaced
    Import { file: std::path::PathBuf },
    /// The best answers to a buyer's question, with their scores
    Suggest {
        question: String,
        #[arg(long, default_value_t = 3)]
        top: usize,
    },
}

#[derive(Debug, Subcommand)]
pub enum DeptAction {
    /// Add a department
    Add { name: String },
    /// The departments and their members
    List,
    /// Put a user in a department
    Join { name: String, login: String },
    /// Take a user out of a department
    Leave { name: String, login: String },
}

/// Which shop and which days.
#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// The shop [default: every shop]
    #[arg(long)]
    pub shop: Option<String>,
    /// 7d, 30d, a month (2025-10), a day (2025-10-08) or FROM..TO (2025-10-01..2025-10-31)
    #[arg(long, default_value = "30d")]
    pub period: String,
    /// What to compare with: prev (环比, the period before) or yoy (同比, a year earlier)
    #[arg(long, default_value = "prev")]
    pub compare: String,
    /// The day "the last N days" end on [default: the last day with data]
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

/// Output other than a table on screen.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Print the tables as CSV
    #[arg(long, conflicts_with = "xlsx")]
    pub csv: bool,
    /// Write the tables to an Excel workbook, one sheet per table
    #[arg(long, value_name = "FILE")]
    pub xlsx: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub export: ExportArgs,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub export: ExportArgs,
    /// Change a threshold for this run, e.g. --set alpha=0.01 (keys: alpha, min_visitors,
    /// uv_value_peer_share, ship_hours, growth_step, min_drop, trend_days, settlement_days,
    /// min_profit_orders, min_profit_stake, refund_rate_factor)
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Keep the --set thresholds as the shop's own
    #[arg(long, requires = "set")]
    pub save: bool,
    /// Show the evidence, the test and the estimate behind each finding
    #[arg(long)]
    pub details: bool,
}

#[derive(Debug, Args)]
pub struct TodayArgs {
    /// The shop [default: every shop]
    #[arg(long)]
    pub shop: Option<String>,
    /// The moment to look from, shop-local ("2025-11-11 14:00") [default: the last order]
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

#[derive(Debug, Args)]
pub struct MetricArgs {
    /// The metric's id, e.g. pay_conversion (see `zhanggui metrics`)
    pub id: String,
    /// Group by day, week, month, product, category, source, region, hour or device
    #[arg(long, default_value = "day")]
    pub by: String,
    #[command(flatten)]
    pub period: PeriodArgs,
    #[command(flatten)]
    pub export: ExportArgs,
}

#[derive(Debug, Args)]
pub struct MetricsArgs {
    /// Print the dictionary as the Markdown document docs/metrics.md
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Args)]
pub struct ShopArgs {
    #[command(subcommand)]
    pub command: ShopCommand,
}

#[derive(Debug, Subcommand)]
pub enum ShopCommand {
    /// Add a shop
    Add {
        /// taobao, tmall, jd, pdd, douyin, 1688, shopify or generic
        #[arg(long)]
        platform: String,
        /// The shop's name, unique in this database
        #[arg(long)]
        name: String,
        /// ISO currency code [default: CNY on Chinese platforms, USD otherwise]
        #[arg(long)]
        currency: Option<String>,
        /// IANA time zone that decides an order's day [default: Asia/Shanghai on Chinese platforms, UTC otherwise]
        #[arg(long)]
        timezone: Option<String>,
    },
    /// List shops
    List,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The shop to import into
    #[arg(long)]
    pub shop: String,
    /// The files: CSV (UTF-8 or GBK), XLSX, XLS, optionally gzipped
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// A format preset instead of detection: taobao-orders, taobao-lines, shopify-orders, jd-orders, pdd-orders, douyin-orders, taobao-refunds, product-days, source-days
    #[arg(long, conflicts_with = "mapping")]
    pub format: Option<String>,
    /// A column mapping (TOML) for files no preset knows
    #[arg(long)]
    pub mapping: Option<PathBuf>,
    /// Fail the whole file if any row is rejected
    #[arg(long)]
    pub strict: bool,
    /// Read, check and count everything, then write nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct MappingArgs {
    #[command(subcommand)]
    pub command: MappingCommand,
}

#[derive(Debug, Subcommand)]
pub enum MappingCommand {
    /// Print a mapping skeleton for FILE's columns (redirect it to a .toml file)
    New {
        file: PathBuf,
        /// Write the skeleton to this file instead of standard output
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Random seed: the same seed gives the same store
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
    /// About how many order lines to generate
    #[arg(long, default_value_t = 60_000)]
    pub lines: u64,
    /// Where to write the export files [default: NAME-files/ beside the demo database
    /// NAME.duckdb when --into or --db names it, else demo/ in the user's data directory]
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The demo database [default: the database of --db / ZHANGGUI_DB, else demo.duckdb in
    /// the user's data directory]; a database holding shops other than the demo's is never
    /// replaced
    #[arg(long)]
    pub into: Option<PathBuf>,
    /// Only write the export files; do not build the demo database
    #[arg(long)]
    pub files_only: bool,
    /// Build the demo database and stop, without starting the web cockpit
    #[arg(long)]
    pub no_serve: bool,
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// How the web cockpit listens.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The address to listen on
    #[arg(long, default_value = "127.0.0.1:8080", env = "ZHANGGUI_ADDR")]
    pub addr: String,
    /// Mark session cookies Secure: the site is reached over HTTPS (through a proxy that
    /// terminates TLS)
    #[arg(long, env = "ZHANGGUI_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Database connections serving requests side by side
    #[arg(long, default_value_t = 4)]
    pub connections: usize,
    /// Send the notification rules' new alerts every this many seconds (0: never)
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 300,
        env = "ZHANGGUI_NOTIFY_EVERY"
    )]
    pub notify_every: u64,
}

#[derive(Debug, Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Add a user; the password is read from standard input (or ZHANGGUI_PASSWORD)
    Add {
        /// The login name
        login: String,
        /// An owner: every right in every shop, manages users (the first administrator)
        #[arg(long)]
        owner: bool,
        /// The name shown in the pages [default: the login]
        #[arg(long)]
        name: Option<String>,
        /// Grant this role (director, manager, assistant, agent) in --shop
        #[arg(long, requires = "shop", conflicts_with = "owner")]
        role: Option<String>,
        /// The shop of --role
        #[arg(long, requires = "role")]
        shop: Option<String>,
    },
    /// List users and their roles
    List,
    /// Set a user's password (read from standard input or ZHANGGUI_PASSWORD); ends their
    /// sessions
    Passwd { login: String },
    /// Grant a role in a shop, or take it away with --role none
    Grant {
        login: String,
        #[arg(long)]
        shop: String,
        /// director, manager, assistant, agent or none
        #[arg(long)]
        role: String,
    },
}

#[derive(Debug, Args)]
pub struct MembersArgs {
    #[command(subcommand)]
    pub command: MembersCommand,
}

#[derive(Debug, Subcommand)]
pub enum MembersCommand {
    /// Recency, frequency and monetary scores and the eight segments, per shop
    Rfm {
        /// The shop [default: every shop]
        #[arg(long)]
        shop: Option<String>,
        /// Score histories up to this day (YYYY-MM-DD) [default: the last day with orders]
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Ranks per dimension (5: quintiles)
        #[arg(long, default_value_t = 5)]
        bins: u32,
        /// Show how customers moved between segments since the end of the month before
        #[arg(long)]
        moves: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Who will buy again and for how much: BG/NBD, Gamma-Gamma and lifetime value per buyer
    Clv {
        /// The shop [default: every shop]
        #[arg(long)]
        shop: Option<String>,
        /// End of the calibration period (YYYY-MM-DD) [default: the last day with orders]
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Months of lifetime value
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// Discount rate per month
        #[arg(long, default_value_t = 0.01)]
        discount: f64,
        /// Count expected orders over this many weeks instead of the months
        #[arg(long)]
        weeks: Option<f64>,
        /// The model of repeat buying: bgnbd or pareto (Pareto/NBD)
        #[arg(long, default_value = "bgnbd", value_parser = ["bgnbd", "pareto"])]
        model: String,
        /// Buyers listed on screen (files get all)
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Did the weekly member day (会员日) change visitors, buyers and sales, and by how much
    Memberday {
        /// The shop [default: every shop]
        #[arg(long)]
        shop: Option<String>,
        /// The member day: mon, tue, wed, thu, fri, sat or sun
        #[arg(long)]
        weekday: String,
        /// The day the member day started (YYYY-MM-DD)
        #[arg(long, value_name = "DATE")]
        since: String,
        /// The last day to count [default: the last day with data]
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Weeks compared on each side of the start
        #[arg(long, default_value_t = 12)]
        weeks: i64,
    },
    /// Valuable customers who have probably stopped buying, ranked by the value at risk
    Winback {
        /// The shop [default: every shop]
        #[arg(long)]
        shop: Option<String>,
        /// End of the calibration period (YYYY-MM-DD) [default: the last day with orders]
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Months of purchases at risk
        #[arg(long, default_value_t = 12)]
        months: u32,
        /// Customers listed on screen (files get all)
        #[arg(long, default_value_t = 20)]
        top: usize,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Cohorts by first-purchase month: retention by month, revenue, 30/90-day repurchase
    Cohorts {
        /// The shop [default: every shop]
        #[arg(long)]
        shop: Option<String>,
        /// Count orders up to this day (YYYY-MM-DD) [default: the last day with orders]
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Months after the first shown as columns
        #[arg(long, default_value_t = 12)]
        months: usize,
        /// Group by month (cohorts), or the category or product of the first order
        #[arg(long, default_value = "month", value_parser = ["month", "category", "product"])]
        by: String,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Saved segments (人群): typed filters over the members, their size and their export
    Segment {
        #[command(subcommand)]
        action: SegmentAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum SegmentAction {
    /// The fields a filter can read, and the syntax
    Fields,
    /// How many members a filter selects, and the biggest spenders among them
    Preview {
        /// The shop [default: the only shop]
        #[arg(long)]
        shop: Option<String>,
        /// The filter, e.g. "r >= 4 and p_alive < 0.5 and category has 女装"
        filter: String,
        /// Members as of this day (YYYY-MM-DD) [default: the last day with orders]
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Members listed
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Save a filter under a name (replaces one of the same name)
    Save {
        /// The shop [default: the only shop]
        #[arg(long)]
        shop: Option<String>,
        name: String,
        filter: String,
    },
    /// The shop's saved segments with their size now
    List {
        /// The shop [default: the only shop]
        #[arg(long)]
        shop: Option<String>,
    },
    /// The members of a saved segment (or of --filter) for a re-marketing tool
    Export {
        /// The shop [default: the only shop]
        #[arg(long)]
        shop: Option<String>,
        /// A saved segment's name
        #[arg(required_unless_present = "filter")]
        name: Option<String>,
        /// A filter instead of a saved segment
        #[arg(long, conflicts_with = "name")]
        filter: Option<String>,
        /// Members as of this day (YYYY-MM-DD) [default: the last day with orders]
        #[arg(long, value_name = "DATE")]
        until: Option<String>,
        /// Replace buyer ids by stable pseudonyms and leave out regions
        #[arg(long)]
        no_personal: bool,
        #[command(flatten)]
        export: ExportArgs,
    },
    /// Delete a saved segment
    Delete {
        /// The shop [default: the only shop]
        #[arg(long)]
        shop: Option<String>,
        name: String,
    },
}

#[derive(Debug, clap::Args)]
pub struct CopyArgs {
    /// Where the installation is: a database file, or postgres://user@host/db
    #[arg(long)]
    pub from: String,
    /// Where it goes (empty: no shop and no user yet): a PostgreSQL URL when --from is a
    /// file, a new database file when --from is a server
    #[arg(long)]
    pub to: String,
}
