-- Connection-close runs: HTTP/1.0 requests, so every server answers, closes, and wrk reconnects
-- cleanly. (uWSGI's http-socket answers an HTTP/1.1 request without `Connection: close` and then
-- closes; wrk would count that as a read error per request and pay a wasted write for each.)
request = function()
   return "GET " .. wrk.path .. " HTTP/1.0\r\nHost: " .. wrk.host .. "\r\nUser-Agent: wrk\r\n\r\n"
end
