-- wrk script for scripts/sessions-rss: one new session per request (alice@acme), never logged out.
wrk.method = "POST"
wrk.headers["Authorization"] = "Basic YWxpY2VAYWNtZTphbGljZQ=="
wrk.headers["Accept"] = "application/*+xml;version=5.5"
