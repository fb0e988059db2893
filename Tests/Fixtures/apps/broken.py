import this_module_does_not_exist  # noqa: F401  -- the import fails on purpose


def application(environ, start_response):
    start_response("200 OK", [])
    return [b"never"]
