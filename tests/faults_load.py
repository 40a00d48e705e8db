"""Load writers for the fault scripts (tests/faults_*.sh): open tickets over HTTP and SMTP until a stop
file appears, and record exactly what the server acknowledged.

Every HTTP ticket carries a unique Idempotency-Key and a unique title marker; every mail a unique
Message-ID and subject marker. A request that fails without an answer (server killed, refused
connection) is retried with the same key / Message-ID, as a real client or MTA would, so a retry must
never open a second ticket. Prints one JSON object: {"http": {marker: number}, "smtp": [marker, ...],
"http_errors": {...}, "smtp_errors": {...}} where errors count the non-acknowledged answers by kind.

usage: faults_load.py URL TOKEN SMTP_HOST:PORT STOPFILE HTTP_WRITERS SMTP_WRITERS PREFIX [CUSTOMER_USER EMAIL]
"""

import collections
import json
import os
import smtplib
import sys
import threading
import time
import urllib.error
import urllib.request
from email.message import EmailMessage

url, token, smtp_addr, stopfile = sys.argv[1:5]
http_writers, smtp_writers = int(sys.argv[5]), int(sys.argv[6])
prefix = sys.argv[7]
customer_user = sys.argv[8] if len(sys.argv) > 8 else "alice"
customer_email = sys.argv[9] if len(sys.argv) > 9 else "alice@acme.example"
smtp_host, smtp_port = smtp_addr.rsplit(":", 1)

lock = threading.Lock()
acked_http = {}
acked_smtp = []
errors = {"http": collections.Counter(), "smtp": collections.Counter()}


def stopped():
    return os.path.exists(stopfile)


def post_ticket(marker):
    body = json.dumps(
        {"title": marker, "body": "load " + marker, "queue": "Raw", "customer_user": customer_user}
    ).encode()
    req = urllib.request.Request(
        url + "/api/v1/tickets",
        data=body,
        method="POST",
        headers={
            "Authorization": "Bearer " + token,
            "Content-Type": "application/json",
            "Idempotency-Key": marker,
        },
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, json.load(r)


def http_writer(w):
    i = 0
    while not stopped():
        i += 1
        marker = "%s-h%d-%d" % (prefix, w, i)
        # Retry the same key until the server answers; give up on this marker only when told to stop.
        while True:
            try:
                status, doc = post_ticket(marker)
                if status == 201 and doc.get("number"):
                    with lock:
                        acked_http[marker] = doc["number"]
                    break
                with lock:
                    errors["http"]["status %d" % status] += 1
            except urllib.error.HTTPError as e:
                with lock:
                    errors["http"]["status %d" % e.code] += 1
                if e.code < 500:
                    break
            except (OSError, ValueError) as e:
                with lock:
                    errors["http"][type(e).__name__] += 1
            if stopped():
                break
            time.sleep(0.05)


def send_mail(marker):
    msg = EmailMessage()
    msg["From"] = customer_email
    msg["To"] = "support@example.com"
    msg["Subject"] = marker
    msg["Message-ID"] = "<%s@faults.test>" % marker
    msg.set_content("mail " + marker)
    with smtplib.SMTP(smtp_host, int(smtp_port), timeout=10) as s:
        s.send_message(msg)


def smtp_writer(w):
    i = 0
    while not stopped():
        i += 1
        marker = "%s-m%d-%d" % (prefix, w, i)
        while True:
            try:
                send_mail(marker)
                with lock:
                    acked_smtp.append(marker)
                break
            except smtplib.SMTPResponseException as e:
                with lock:
                    errors["smtp"]["%d" % e.smtp_code] += 1
                if e.smtp_code >= 500:
                    break
            except (OSError, smtplib.SMTPException) as e:
                with lock:
                    errors["smtp"][type(e).__name__] += 1
            if stopped():
                break
            time.sleep(0.05)


threads = [threading.Thread(target=http_writer, args=(w,)) for w in range(http_writers)]
threads += [threading.Thread(target=smtp_writer, args=(w,)) for w in range(smtp_writers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(
    json.dumps(
        {
            "http": acked_http,
            "smtp": acked_smtp,
            "http_errors": dict(errors["http"]),
            "smtp_errors": dict(errors["smtp"]),
        }
    )
)
