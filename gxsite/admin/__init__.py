"""The editors' forms: Decap CMS at /admin/ of the preview, gxsite as its local backend (decap-server protocol)."""
