"""The CKAN Action API of one web process, over real HTTP, as a sysadmin."""
from __future__ import annotations

import time
from typing import Any

import requests


class ApiError(AssertionError):
    def __init__(self, action: str, response: requests.Response) -> None:
        super().__init__(f"{action}: HTTP {response.status_code}: {response.text[:500]}")
        self.status = response.status_code


class Api:
    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def post(self, action: str, data: dict[str, Any] | None = None,
             timeout: float = 60) -> requests.Response:
        return requests.post(f"{self.base}/api/3/action/{action}", json=data or {},
                             headers={"Authorization": self.token}, timeout=timeout)

    def call(self, action: str, timeout: float = 60, **data: Any) -> Any:
        response = self.post(action, data, timeout)
        if response.status_code != 200:
            raise ApiError(action, response)
        return response.json()["result"]

    def timed(self, action: str, timeout: float = 60, **data: Any
              ) -> tuple[requests.Response, float]:
        """The response and how long it took (for outages: an answer, not a hang)."""
        started = time.monotonic()
        response = self.post(action, data, timeout)
        return response, time.monotonic() - started

    def answers(self) -> bool:
        return requests.get(f"{self.base}/api/3/action/status_show", timeout=10).ok


def dataset(org: str, name: str, title: str) -> dict[str, Any]:
    """A public dataset of the generic type with the fields every type requires."""
    return {"name": name, "title": title, "owner_org": org, "notes": f"{title} (deploy test)",
            "access_level": "public", "contains_personal_data": False, "theme": ["ECON"]}
