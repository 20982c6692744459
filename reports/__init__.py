"""The donor pack: the year's figures per programme with the Overview's charts, what they leave out and
when the records were read, for donors, in one language, as Markdown, XLSX or PDF (`cli.py report
--format`, the Overview's "Prepare donor pack").

pages / commands -> reports -> gateway, insights, schemas: the pack's figures come through the gateway
(reports.pack), so what a role may read and what a donor may see are decided there, never here.
"""

FORMATS = ("md", "xlsx", "pdf")
