"""The pandas way (as the seed notebooks do it): read, drop rows without customer id and
cancellations, per-customer recency / frequency / monetary. Prints one JSON line.

    /usr/bin/python3 bench/peers/pandas_rfm.py FILE
"""
import json
import resource
import sys
import time

import pandas as pd

path = sys.argv[1]
t0 = time.perf_counter()
header = open(path, encoding="utf-8", errors="replace").readline()
ii = "Customer ID" in header  # Online Retail II layout, else UCI Online Retail
cust, inv, price = ("Customer ID", "Invoice", "Price") if ii else ("CustomerID", "InvoiceNo", "UnitPrice")
df = pd.read_csv(path, dtype={inv: str, "StockCode": str, "Description": str, "Country": str})
df["InvoiceDate"] = pd.to_datetime(df["InvoiceDate"], format="%Y-%m-%d %H:%M:%S")
as_of = df["InvoiceDate"].max().normalize() + pd.Timedelta(days=1)
df = df.dropna(subset=[cust])
df = df[~df[inv].str.startswith("C") & (df["Quantity"] >= 0)]
df["Amount"] = df["Quantity"] * df[price]
df["Day"] = df["InvoiceDate"].dt.normalize()
rfm = df.groupby(cust).agg(last=("Day", "max"), frequency=(inv, "nunique"), monetary=("Amount", "sum"))
rfm["recency"] = (as_of - rfm["last"]).dt.days
seconds = time.perf_counter() - t0
print(json.dumps({
    "seconds": seconds,
    "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "customers": int(len(rfm)),
    "sum_recency": float(rfm["recency"].sum()),
    "sum_frequency": float(rfm["frequency"].sum()),
    "sum_monetary": float(rfm["monetary"].sum()),
    "version": pd.__version__,
}))
