"""What pages exist and how they look: routing columns, planning and rendering pages."""
