"""The replies inbox: what readers sent (Netlify form submissions, webmentions, emails) waiting in a pending store
in the repository until the author accepts, rejects or marks it as spam. Accepting writes the reply file a person
would write by hand, so a build reads it as any other and never needs the network; likes and reposts are counted
into each post's `_mentions.yaml` beside its replies."""
