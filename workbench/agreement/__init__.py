"""Inter-coder agreement: the coefficients, their bootstrap, the theme layer, the report."""
