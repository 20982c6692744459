from insights import chart_theme  # noqa: F401  (enables the charts' font theme once, for every chart)
