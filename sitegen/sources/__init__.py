"""Stage 1-2, the only stage that reads author files: the configuration, the theme, the content files (found,
decoded, front matter parsed), replies, and articles brought in by `sitegen import`."""
