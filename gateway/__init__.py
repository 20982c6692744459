"""The read gateway: the only way a page gets data (pages -> gateway -> insights -> cache).

- `gateway.figures`: every dashboard figure, table, chart frame and download - declared tabs checked
  against the role (failing closed), personal data masked, small counts suppressed for viewers, views audited;
- `gateway.reads`: rows, validation issues, row history, the audit trail and the outbox, role-checked and masked,
  and what a page may offer (`tabs_to_open`, `may_edit`; `AccessDenied` for a refusal): a page never asks
  connectors.access itself;
- `gateway.masking`: the other ways out (conflicts, save errors, outbox messages, staff e-mails), masked alike.

Connectors never import the gateway; the gateway never imports Streamlit (ui.state caches what it returns).
"""
