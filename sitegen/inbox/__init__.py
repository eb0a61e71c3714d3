"""What readers send: replies by email, form submissions and webmentions, read into pending replies."""
