"""Who may do what in the portal: accounts, sessions, the second factor, the audit log."""
