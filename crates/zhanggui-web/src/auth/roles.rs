//! Roles and the rights they carry. An owner has every right in every shop; the other
//! roles are granted per shop. This table is the one place rights are decided, and
//! `docs/web.md` prints it.

use serde::Serialize;

/// A role a user holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 店主/老板: everything, in every shop; manages users and shops; reads the audit log.
    Owner,
    /// 运营总监: everything in the shop but its users.
    Director,
    /// 店长: runs the shop: reports, diagnosis, imports, thresholds.
    Manager,
    /// 运营助理: reads the reports and imports files.
    Assistant,
    /// 客服: the customer-service desk, products and the metric dictionary.
    Agent,
}

/// Something a user may do in a shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Right {
    /// Overview, diagnosis, traffic: the shop's numbers.
    ViewReports,
    /// The product list and product pages.
    ViewProducts,
    /// Upload export files and read the import history.
    Import,
    /// Change the shop's diagnosis thresholds and saved member segments.
    EditSettings,
    /// Members: segments, cohorts, predicted value, the win-back list, segment exports
    /// (buyers shown by pseudonym).
    ViewMembers,
    /// Buyer ids and regions in member lists and exports (personal data).
    ViewPersonalData,
    /// Profit: cost prices, fees, margins and the P&L (not for assistants or agents).
    ViewProfit,
    /// The customer-service desk: reply scripts (as their scope allows), answer
    /// suggestions, reviews and their follow-ups, order follow-up tasks.
    UseDesk,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Director,
        Role::Manager,
        Role::Assistant,
        Role::Agent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Director => "director",
            Role::Manager => "manager",
            Role::Assistant => "assistant",
            Role::Agent => "agent",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s.trim())
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Owner => "店主",
            Role::Director => "运营总监",
            Role::Manager => "店长",
            Role::Assistant => "运营助理",
            Role::Agent => "客服",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Director => "Director",
            Role::Manager => "Manager",
            Role::Assistant => "Assistant",
            Role::Agent => "Agent",
        }
    }

    /// Whether this role carries a right in the shops it holds.
    pub fn grants(self, right: Right) -> bool {
        use Right::*;
        match self {
            Role::Owner | Role::Director => true,
            Role::Manager => true,
            Role::Assistant => matches!(
                right,
                ViewReports | ViewProducts | Import | ViewMembers | UseDesk
            ),
            Role::Agent => matches!(right, ViewProducts | UseDesk),
        }
    }
}

impl Right {
    pub const ALL: [Right; 8] = [
        Right::ViewReports,
        Right::ViewProducts,
        Right::Import,
        Right::EditSettings,
        Right::ViewMembers,
        Right::ViewPersonalData,
        Right::ViewProfit,
        Right::UseDesk,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Right::ViewReports => "view_reports",
            Right::ViewProducts => "view_products",
            Right::Import => "import",
            Right::EditSettings => "edit_settings",
            Right::ViewMembers => "view_members",
            Right::ViewPersonalData => "view_personal_data",
            Right::ViewProfit => "view_profit",
            Right::UseDesk => "use_desk",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_narrow_from_owner_to_agent() {
        let count = |r: Role| Right::ALL.iter().filter(|x| r.grants(**x)).count();
        assert_eq!(count(Role::Owner), 8);
        assert_eq!(count(Role::Manager), 8);
        assert_eq!(count(Role::Assistant), 5);
        assert!(!Role::Assistant.grants(Right::ViewProfit));
        assert!(!Role::Agent.grants(Right::ViewProfit));
        assert!(!Role::Assistant.grants(Right::EditSettings));
        assert!(!Role::Assistant.grants(Right::ViewPersonalData));
        assert!(!Role::Agent.grants(Right::ViewMembers));
        assert_eq!(count(Role::Agent), 2);
        assert!(Role::Agent.grants(Right::UseDesk));
        assert!(!Role::Agent.grants(Right::ViewReports));
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }
}
