"""Load for the multi-host test, run inside the balancer's namespace: THREADS loops alternate GET and
POST to nginx (a new connection each, so an nginx reload never catches one idle) until the file STOP
exists. One JSON line per request: start and end (CLOCK_MONOTONIC, shared by every process), method,
status (0: no HTTP answer) and the body (the answering host and app version) or the error.

usage: multihost_client.py HOST PORT OUTPUT STOP [THREADS] [PAUSE]"""
import http.client
import json
import os
import sys
import threading
import time


def main():
    host, port, output, stop = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else 4
    pause = float(sys.argv[6]) if len(sys.argv) > 6 else 0.02
    lock = threading.Lock()
    with open(output, "a", buffering=1) as out:
        def loop(number):
            sequence = number
            while not os.path.exists(stop):
                method = "POST" if sequence % 2 else "GET"
                sequence += 1
                started = time.monotonic()
                connection = http.client.HTTPConnection(host, port, timeout=15)
                try:
                    connection.request(method, "/", body=b"order=1" if method == "POST" else None,
                                       headers={"Connection": "close"})
                    response = connection.getresponse()
                    status, text = response.status, response.read().decode(errors="replace").strip()
                except (OSError, http.client.HTTPException) as error:
                    status, text = 0, repr(error)
                finally:
                    connection.close()
                record = {"start": started, "end": time.monotonic(), "method": method, "status": status, "body": text}
                with lock:
                    out.write(json.dumps(record) + "\n")
                time.sleep(pause)

        workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()


if __name__ == "__main__":
    main()
