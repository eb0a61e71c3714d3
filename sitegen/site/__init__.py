"""Stage 3, the site as immutable data with no disk I/O: posts, tags, pages of lists, URLs, and every route claimed
once."""
