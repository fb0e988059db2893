"""An app written for uWSGI: it imports `uwsgi` and `uwsgidecorators` and answers with what they give.

GET /facts            worker_id, numproc, masterpid, opt, started_on, request_id, total_requests, pid (JSON)
GET /cache/set?k=v    cache_set (repeat: None)        GET /cache/update?k=v   cache_update
GET /cache/get?k      cache_get (JSON: value or null, and the answering pid)
GET /cache/del?k      GET /cache/exists?k     GET /cache/expire?k=v   (expires in 1 s)
GET /cache/inc?k      cache_inc then cache_num     GET /cache/named?k=v  set and read in cache "second"
GET /logvar?v         set_logvar('who', v)
GET /spool?name       spool a task for the `task` spooler function (spooler dir from SPOOL_OUT)
GET /lock             lock(), is_locked(), unlock()
GET /reload           uwsgi.reload()
GET /cron?M,H,D,MO,W,EPOCH   whether a cron entry is due at that local time; how many signals are registered
"""
import json
import os
import time

import uwsgi
from uwsgidecorators import cron, lock, postfork, spool, timer

OUT = os.environ.get("UWSGI_API_OUT", "/tmp")


@postfork
def mark_postfork():
    with open(os.path.join(OUT, "postfork-%d" % uwsgi.worker_id()), "w") as marker:
        marker.write(str(os.getpid()))


@timer(1)
def every_second(signum):
    with open(os.path.join(OUT, "timer"), "a") as ticks:
        ticks.write("%d %d %d\n" % (signum, uwsgi.worker_id(), os.getpid()))


@cron(30, 4, -1, -1, -1)
def nightly(signum):
    pass


@spool
def write_task(arguments):
    with open(os.path.join(OUT, "task-" + arguments["name"]), "w") as done:
        done.write("%s %d %s" % (arguments["name"], os.getpid(), uwsgi.i_am_the_spooler()))


@lock
def under_lock():
    return bool(uwsgi.is_locked())


def answer(start_response, value):
    body = json.dumps(value).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def text(value):
    return value.decode() if isinstance(value, bytes) else value


def application(environ, start_response):
    path = environ["PATH_INFO"]
    query = environ.get("QUERY_STRING", "")
    key, _, value = query.partition("=")
    if path == "/facts":
        opt = {name: ([text(item) for item in entry] if isinstance(entry, list) else text(entry))
               for name, entry in uwsgi.opt.items()}
        return answer(start_response, {
            "worker_id": uwsgi.worker_id(), "numproc": uwsgi.numproc, "masterpid": uwsgi.masterpid(), "opt": opt,
            "opt_types": sorted({type(entry).__name__ for entry in uwsgi.opt.values()}),
            "started_on": uwsgi.started_on, "request_id": uwsgi.request_id(), "total_requests": uwsgi.total_requests(),
            "pid": os.getpid(), "spoolers": [text(d) for d in getattr(uwsgi, "spoolers", ())],
        })
    if path.startswith("/cache/"):
        action = path[len("/cache/"):]
        if action == "set":
            result = uwsgi.cache_set(key, value)
        elif action == "update":
            result = uwsgi.cache_update(key, value)
        elif action == "get":
            result = text(uwsgi.cache_get(key))
        elif action == "del":
            result = uwsgi.cache_del(key)
        elif action == "exists":
            result = uwsgi.cache_exists(key)
        elif action == "expire":
            result = uwsgi.cache_update(key, value, 1)
        elif action == "inc":
            uwsgi.cache_inc(key)
            uwsgi.cache_inc(key, 10)
            result = uwsgi.cache_num(key)
        elif action == "named":
            uwsgi.cache_update(key, value, 0, "second")
            result = [text(uwsgi.cache_get(key, "second")), text(uwsgi.cache_get(key))]
        else:
            result = "unknown"
        return answer(start_response, {"result": result, "pid": os.getpid()})
    if path == "/logvar":
        uwsgi.set_logvar("who", query)
        return answer(start_response, {"logvar": uwsgi.get_logvar("who")})
    if path == "/spool":
        return answer(start_response, {"task": text(write_task.spool(name=query))})
    if path == "/cron":
        *fields, epoch = [int(number) for number in query.split(",")]
        moment = time.localtime(epoch)
        return answer(start_response, {"due": uwsgi._cron_due((0, *fields), moment),
                                       "signals": sum(1 for number in range(256) if uwsgi.signal_registered(number))})
    if path == "/reload":
        return answer(start_response, {"reload": uwsgi.reload()})
    if path == "/lock":
        held = under_lock()
        return answer(start_response, {"held_inside": held, "held_after": bool(uwsgi.is_locked())})
    return answer(start_response, {"path": path})
