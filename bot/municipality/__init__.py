"""The municipality's own facts: its file, its channels and its social map."""
