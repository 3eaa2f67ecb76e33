"""The pool's yearly rhythm: annual plans filed, activities recorded, year-end summaries,
recognition of service hours, Excel exports and matching a request to people."""
