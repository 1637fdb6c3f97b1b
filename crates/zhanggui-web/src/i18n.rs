//! The pages' words in Chinese (the default) and English, chosen per user. Templates read
//! them as `tr.KEY`; a key missing from a language falls back to Chinese.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Lang {
        if s.trim().eq_ignore_ascii_case("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Every word of this language, by key.
    pub fn words(self) -> &'static BTreeMap<&'static str, &'static str> {
        static ZH: OnceLock<BTreeMap<&str, &str>> = OnceLock::new();
        static EN: OnceLock<BTreeMap<&str, &str>> = OnceLock::new();
        match self {
            Lang::Zh => ZH.get_or_init(|| WORDS.iter().map(|(k, zh, _)| (*k, *zh)).collect()),
            Lang::En => EN.get_or_init(|| WORDS.iter().map(|(k, _, en)| (*k, *en)).collect()),
        }
    }

    pub fn t(self, key: &str) -> &'static str {
        self.words().get(key).copied().unwrap_or("?")
    }
}

/// key, 中文, English.
const WORDS: &[(&str, &str, &str)] = &[
    ("app", "掌柜", "zhanggui"),
    ("overview", "概览", "Overview"),
    ("diagnosis", "诊断", "Diagnosis"),
    ("products", "商品", "Products"),
    ("traffic", "流量", "Traffic"),
    ("import", "导入", "Import"),
    ("members", "会员", "Members"),
    ("profit", "利润", "Profit"),
    ("pnl_title", "从销售额到净利润", "From net sales to net profit"),
    ("profit_by_month", "近12个月净利润", "Net profit, last 12 months"),
    ("profit_notes", "未计入的成本", "What the figures leave out"),
    ("missing_cost", "缺成本价的商品", "Products without a cost price"),
    ("missing_fees", "无账单也无费率的商品", "Products with orders no bill or fee rate covers"),
    ("pnl_all_shops", "全部店铺利润（按月，统一币种）", "Every shop's P&L by month, in one currency"),
    ("rates", "汇率", "Rates"),
    ("show", "显示", "Show"),
    ("profit_needs_costs", "导入成本表后显示利润", "Import a cost sheet to see profit"),
    ("profit_covers", "覆盖销售额", "covers sales"),
    ("cost_upload", "导入成本与账单", "Import costs and bills"),
    (
        "cost_upload_help",
        "成本表、支付宝账务明细等平台账单、费用表、推广花费表或快递账单：按表头识别，重复导入不会重复计算",
        "A cost sheet, a platform bill (支付宝账务明细 and others), an expense sheet, an ad spend sheet or a courier bill: told by its header; importing one twice changes nothing",
    ),
    ("sheet_prices", "成本表", "cost sheet"),
    ("sheet_bill", "账单", "bill"),
    ("sheet_expenses", "费用表", "expense sheet"),
    ("sheet_ad_spend", "推广花费", "ad spend sheet"),
    ("sheet_courier", "快递账单", "courier bill"),
    ("net_sales", "净销售额", "Net sales"),
    ("cogs", "商品成本", "Cost of goods"),
    ("platform_fees", "平台费用", "Platform fees"),
    ("shipping", "运费", "Shipping"),
    ("packaging", "包装赠品", "Packaging"),
    ("ad_spend", "推广费", "Ad spend"),
    ("other_costs", "固定费用", "Fixed costs"),
    ("cm1", "边际贡献1", "CM1"),
    ("net_profit", "净利润", "Net profit"),
    ("margin", "净利率", "Net margin"),
    ("segments", "人群", "Segments"),
    ("members_count", "会员数", "Members"),
    ("members_until", "截至", "As of"),
    ("win_back", "挽回名单", "Win-back list"),
    ("win_back_note", "有价值但可能已流失的老客，按风险价值排序", "Valuable customers who have probably stopped buying, ranked by value at risk"),
    ("repeat_by_category", "首单类目的复购率", "Repurchase by the first order's category"),
    ("repeat_30", "30天复购率", "30-day repurchase"),
    ("repeat_90", "90天复购率", "90-day repurchase"),
    ("cohorts", "同期群留存", "Cohort retention"),
    ("pseudonyms", "买家以化名显示（你的角色不能查看个人信息）", "Buyers are shown by pseudonym (your role may not see personal data)"),
    ("no_predictions", "历史太短，无法可靠预测", "Too little history for a reliable prediction"),
    ("saved_segments", "已保存的人群", "Saved segments"),
    ("new_segment", "新建人群", "New segment"),
    ("segment_name", "名称", "Name"),
    ("segment_filter", "条件", "Filter"),
    ("segment_size", "人数", "Size"),
    ("segment_fields", "可用字段", "Fields"),
    ("delete", "删除", "Delete"),
    ("live_size", "当前匹配", "Matching now"),
    ("no_segments", "还没有保存的人群", "No saved segments yet"),
    ("member_day", "会员日效果", "Member day"),
    ("member_day_note", "每周会员日与同一周其他日子的比值，开始前后各最多 12 周对比，给出 95% 置信区间", "The member day against the other days of its week, up to 12 weeks before and since it started, with a 95 % interval"),
    ("weekday", "会员日", "Weekday"),
    ("since", "开始日期", "Started"),
    ("lift", "提升", "Lift"),
    ("interval_95", "95% 置信区间", "95 % interval"),
    ("weeks_before_since", "之前 / 之后周数", "Weeks before / since"),
    ("desk", "客服台", "Service desk"),
    ("desk_scripts", "话术", "Reply scripts"),
    ("desk_search", "查找", "Find"),
    ("desk_search_hint", "输入关键词、拼音或首字母，如 fh、tuihuo", "Words, pinyin or initials, e.g. fh, tuihuo"),
    ("desk_no_scripts", "没有找到话术", "No script found"),
    ("desk_image", "图片", "Picture"),
    ("desk_new_script", "新建话术", "New script"),
    ("desk_notify", "通知", "Notifications"),
    ("desk_channel", "渠道", "Channel"),
    ("desk_to", "发送到", "To"),
    ("desk_alert_kinds", "提醒类型", "Alerts"),
    ("desk_send_now", "立即发送新提醒", "Send new alerts now"),
    ("desk_no_rules", "还没有通知规则：提醒只在本页显示", "No rules yet: alerts show on this page only"),
    ("desk_new_rule", "新建通知规则", "New rule"),
    ("desk_email", "邮件", "E-mail"),
    ("desk_secret", "加签密钥 / SMTP 服务器", "Signing secret / SMTP server"),
    ("desk_from", "发件人（邮件）", "From (e-mail)"),
    ("desk_deliveries", "最近的发送记录", "Last deliveries"),
    ("desk_sent", "已发送", "sent"),
    ("desk_import_reviews", "导入评价", "Import reviews"),
    ("desk_import_tracking", "导入物流跟踪", "Import tracking"),
    ("desk_row", "行", "row"),
    ("desk_scope", "范围", "Scope"),
    ("desk_scope_personal", "个人话术", "Personal"),
    ("desk_scope_public", "公共话术", "Public"),
    ("desk_scope_department", "部门话术", "Department"),
    ("desk_department", "部门", "Department"),
    ("desk_category", "一级分类", "Category"),
    ("desk_subcategory", "二级分类", "Subcategory"),
    ("desk_text", "内容", "Text"),
    ("desk_shortcut", "快捷短语", "Shortcut"),
    ("desk_tags", "标签", "Tags"),
    ("desk_variables", "可用变量", "Variables"),
    ("desk_ask", "买家问题", "Buyer's question"),
    ("desk_ask_hint", "粘贴买家的问题，给出知识库里最合适的答案", "Paste a buyer's question for the knowledge base's best answers"),
    ("desk_no_answer", "知识库里没有合适的答案", "No fitting answer in the knowledge base"),
    ("desk_reviews", "中差评提醒", "Bad and medium reviews"),
    ("desk_bad_rate", "差评率（30天）", "Bad-review rate (30 days)"),
    ("desk_open_alerts", "待处理", "Open alerts"),
    ("desk_first_contact", "首次联系用时（中位数）", "Time to first contact (median)"),
    ("desk_changed", "差评修改率", "Bad reviews changed"),
    ("desk_metrics_note", "最近30天的评价；补偿合计", "Reviews of the last 30 days; compensation offered"),
    ("desk_dsr", "描述/服务/物流", "Goods/service/logistics"),
    ("desk_contacted", "已联系", "contacted"),
    ("desk_action", "跟进", "Follow-up"),
    ("desk_contact", "已联系买家", "Contacted the buyer"),
    ("desk_compensation", "补偿", "Compensation"),
    ("desk_note", "备注", "Note"),
    ("desk_outcome_changed", "结果：已改评", "Outcome: review changed"),
    ("desk_outcome_replied", "结果：已公开回复", "Outcome: public reply"),
    ("desk_outcome_closed", "结果：关闭", "Outcome: closed"),
    ("desk_amount", "金额", "Amount"),
    ("desk_no_alerts", "没有待处理的中差评", "No bad or medium review waiting"),
    ("desk_tasks", "待跟进订单", "Order follow-ups"),
    ("desk_order", "订单", "Order"),
    ("desk_due", "截止", "Due"),
    ("desk_detail", "情况", "What"),
    ("desk_owner", "负责人", "Owner"),
    ("desk_message", "建议话术", "Message to send"),
    ("desk_take", "我来跟进", "Take it"),
    ("desk_no_tasks", "没有待跟进的订单", "Nothing to follow up"),
    ("task_unshipped", "超24小时未发货", "Not shipped (24 h)"),
    ("task_unshipped_late", "超48小时未发货", "Not shipped (48 h)"),
    ("task_tracking_stalled", "物流停滞", "Tracking stalled"),
    ("task_unpaid", "催付", "Unpaid"),
    ("task_request", "买家留言", "Buyer request"),
    ("dictionary", "指标字典", "Metric dictionary"),
    ("settings", "设置", "Settings"),
    ("audit", "审计日志", "Audit log"),
    ("logout", "退出", "Sign out"),
    ("login", "登录", "Sign in"),
    ("login_name", "账号", "Login"),
    ("password", "密码", "Password"),
    ("shop", "店铺", "Shop"),
    ("period", "周期", "Period"),
    ("today", "最近一天", "Last day"),
    ("d7", "近7天", "7 days"),
    ("d30", "近30天", "30 days"),
    ("month", "本月", "Month"),
    ("custom", "自定义", "Custom"),
    ("from", "从", "From"),
    ("to", "到", "To"),
    ("apply", "应用", "Apply"),
    ("compare", "对比", "Compare"),
    ("prev", "环比", "vs previous"),
    ("yoy", "同比", "vs a year earlier"),
    ("current", "本期", "This period"),
    ("previous", "上期", "Previous period"),
    ("change", "变化", "Change"),
    ("peer", "同行", "Peers"),
    ("peer_average", "同行平均", "Peer average"),
    ("peer_excellent", "同行优秀", "Peer top"),
    ("trend", "趋势", "Trend"),
    ("top_findings", "最重要的问题", "Top findings"),
    ("all_findings", "全部诊断", "All findings"),
    ("no_findings", "没有发现显著问题", "Nothing significant found"),
    ("money_at_stake", "涉及金额", "Money at stake"),
    ("action", "建议动作", "What to do"),
    ("evidence", "证据", "Evidence"),
    ("confidence", "可信度", "Confidence"),
    ("estimate", "估算方法", "How it is estimated"),
    ("severity", "严重程度", "Severity"),
    ("why_moved", "为什么变化", "Why sales moved"),
    ("waterfall", "销售额变化分解", "Sales change, split"),
    ("by_source", "按来源", "By source"),
    ("by_product", "按商品", "By product"),
    ("metrics_used", "用到的指标", "Metrics used"),
    ("export_csv", "导出 CSV", "CSV"),
    ("export_xlsx", "导出 Excel", "Excel"),
    ("filter", "筛选…", "Filter…"),
    ("product", "商品", "Product"),
    ("title", "标题", "Title"),
    ("daily", "每日", "Daily"),
    ("sources_of_product", "商品的流量来源", "Traffic sources of this product"),
    ("no_product_sources", "导入的报表没有按商品分的流量来源（生意参谋的商品来源报表尚未支持）。", "The imported reports carry no traffic sources per product (the product-source report is not imported yet)."),
    ("findings_of_product", "这个商品的诊断", "Findings about this product"),
    ("source", "来源", "Source"),
    ("free", "免费", "Free"),
    ("paid", "付费", "Paid"),
    ("kind", "类型", "Kind"),
    ("share", "占比", "Share"),
    ("upload", "上传", "Upload"),
    ("files", "文件", "Files"),
    ("format", "格式", "Format"),
    ("auto", "自动识别", "Detect"),
    ("progress", "进度", "Progress"),
    ("history", "导入历史", "Import history"),
    ("rows_read", "读取行数", "Rows read"),
    ("inserted", "新增", "Inserted"),
    ("updated", "更新", "Updated"),
    ("unchanged", "未变", "Unchanged"),
    ("rejected", "拒绝", "Rejected"),
    ("reject_file", "下载被拒绝的行", "Download rejected rows"),
    ("imported_at", "导入时间", "Imported at"),
    ("file", "文件", "File"),
    ("status", "状态", "Status"),
    ("running", "进行中", "Running"),
    ("done", "完成", "Done"),
    ("failed", "失败", "Failed"),
    ("search", "搜索指标…", "Search metrics…"),
    ("metric", "指标", "Metric"),
    ("definition", "定义", "Definition"),
    ("formula", "公式", "Formula"),
    ("orders_counted", "计入的订单", "Orders counted"),
    ("unit", "单位", "Unit"),
    ("shops", "店铺", "Shops"),
    ("users", "用户和角色", "Users and roles"),
    ("thresholds", "诊断阈值", "Diagnosis thresholds"),
    ("save", "保存", "Save"),
    ("add", "添加", "Add"),
    ("name", "名称", "Name"),
    ("platform", "平台", "Platform"),
    ("currency", "币种", "Currency"),
    ("timezone", "时区", "Time zone"),
    ("role", "角色", "Role"),
    ("none", "无", "None"),
    ("display_name", "显示名", "Display name"),
    ("owner", "店主", "Owner"),
    ("language", "语言", "Language"),
    ("api_tokens", "API 令牌", "API tokens"),
    ("new_token", "新令牌（只显示这一次）", "New token (shown only once)"),
    ("revoke", "撤销", "Revoke"),
    ("created", "创建时间", "Created"),
    ("last_used", "最近使用", "Last used"),
    ("when", "时间", "When"),
    ("who", "谁", "Who"),
    ("what", "操作", "Action"),
    ("detail", "详情", "Detail"),
    ("no_data", "这个店铺还没有数据：先导入导出文件。", "This shop has no data yet: import its export files first."),
    ("no_shop", "你还没有任何店铺的权限。请店主为你授权。", "You have no role in any shop yet. Ask an owner to grant you one."),
    ("not_available", "无法计算", "Not available"),
    ("headline", "一句话", "In one sentence"),
    ("saved", "已保存", "Saved"),
    ("switch_lang", "English", "中文"),
    ("login_failed", "账号或密码不对。", "Wrong login or password."),
    ("signed_in_as", "当前用户", "Signed in as"),
    ("rank", "排名", "Rank"),
    ("finding", "问题", "Finding"),
    ("visitors_part", "访客贡献", "Visitors part"),
    ("conversion_part", "转化贡献", "Conversion part"),
    ("order_value_part", "客单价贡献", "Order value part"),
    ("sales_change", "销售额变化", "Sales change"),
    ("before", "之前", "Before"),
    ("after", "之后", "After"),
    ("factor", "因素", "Factor"),
    ("p_value", "p 值", "p-value"),
    ("open", "展开", "Open"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_unique_and_english_is_chosen_by_code() {
        let mut keys: Vec<&str> = WORDS.iter().map(|w| w.0).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key is written twice");
        assert_eq!(Lang::parse("en").t("overview"), "Overview");
        assert_eq!(Lang::parse("zh").t("overview"), "概览");
        assert_eq!(Lang::parse("fr"), Lang::Zh);
    }
}
