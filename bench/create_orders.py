"""Creates N orders through the API (for the embedded SQLite bench): BASE TOKEN N, 8 at a time."""
import concurrent.futures
import datetime
import json
import sys
import urllib.request

base, token, count = sys.argv[1], sys.argv[2], int(sys.argv[3])


def create(index):
    start = datetime.datetime(2025, 1, 1, 8) + datetime.timedelta(hours=index)
    body = {"client_id": None, "address": f"Краснодар, ул. Северная {index}",
            "start_dt": start.strftime("%Y-%m-%dT%H:%M:%S+03:00"), "description": f"Копка траншеи {index}"}
    request = urllib.request.Request(base + "/api/v1/orders/", data=json.dumps(body).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + token,
                                              "Content-Type": "application/json"})
    urllib.request.urlopen(request).read()


with concurrent.futures.ThreadPoolExecutor(8) as pool:
    list(pool.map(create, range(count)))
print(f"created {count} orders through the API")
