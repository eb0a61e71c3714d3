"""Stage 4, the site made into bytes without writing anything: a plan of every output path, the theme's templates,
feeds, sitemap, metadata, redirects."""
