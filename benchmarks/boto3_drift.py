"""The drift check a user would write from the boto3 documentation's pattern: list the keys,
DescribeKey each, and for each multi-Region replica read its policy and its primary's
(GetKeyPolicy), one call after another, no threads, no cache, and compare the two texts.

Usage: python3 boto3_drift.py ENDPOINT_URL REGION. Prints JSON: keys, replicas, drifted key IDs.
"""

import json
import sys

import boto3


def main():
    endpoint, region = sys.argv[1], sys.argv[2]
    session = boto3.session.Session(
        aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret"
    )
    clients = {}

    def kms(r):
        if r not in clients:
            clients[r] = session.client("kms", region_name=r, endpoint_url=endpoint)
        return clients[r]

    keys = 0
    replicas = 0
    drifted = []
    for page in kms(region).get_paginator("list_keys").paginate():
        for key in page["Keys"]:
            keys += 1
            meta = kms(region).describe_key(KeyId=key["KeyId"])["KeyMetadata"]
            config = meta.get("MultiRegionConfiguration")
            if not meta.get("MultiRegion") or config["MultiRegionKeyType"] != "REPLICA":
                continue
            replicas += 1
            mine = kms(region).get_key_policy(KeyId=meta["KeyId"], PolicyName="default")
            primary = config["PrimaryKey"]
            theirs = kms(primary["Region"]).get_key_policy(
                KeyId=primary["Arn"], PolicyName="default"
            )
            if mine["Policy"] != theirs["Policy"]:
                drifted.append(meta["KeyId"])
    print(json.dumps({"keys": keys, "replicas": replicas, "drifted": drifted}))


if __name__ == "__main__":
    main()
