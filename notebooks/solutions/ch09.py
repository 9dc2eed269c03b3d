"""Solutions to the exercises of 09 · Serving and playing. Try them yourself first."""

from __future__ import annotations

import pandas as pd
from fastapi import FastAPI, HTTPException, Query

import helpers


def add_columns_endpoint(app: FastAPI) -> FastAPI:
    """Exercise 1: GET /columns?prompt=... -> the predicted columns and their probabilities."""

    @app.get("/columns")
    def columns(prompt: str = Query(min_length=1, max_length=500)) -> dict:
        chosen = helpers.predict_columns(prompt)
        if not chosen:
            raise HTTPException(status_code=400, detail=f"{prompt!r} is not a dataset request")
        probs = helpers.predict_proba(prompt)
        return {"prompt": prompt, "columns": {c: round(probs[c], 4) for c in chosen}}

    return app


def batch_generate(client, prompts: list[str], rows: int = 5) -> dict[str, pd.DataFrame]:
    """Exercise 2: one DataFrame per prompt; prompts answered with 400 are reported, skipped."""
    tables = {}
    for prompt in prompts:
        r = client.post("/generate", json={"prompt": prompt, "rows": rows})
        if r.status_code == 400:
            print(f"skipped {prompt!r}: {r.json()['detail']}")
            continue
        r.raise_for_status()
        body = r.json()
        tables[prompt] = pd.DataFrame(body["rows"], columns=body["columns"])
    return tables


if __name__ == "__main__":
    from fastapi.testclient import TestClient

    from helpers.api import app

    with TestClient(add_columns_endpoint(app)) as client:
        print(client.get("/columns", params={"prompt": "a bank table"}).json())
        print(batch_generate(client, ["a bank table", "tell me a joke"]))
