"""The disclosure rules, personal data, the output's links and the office's reports."""
