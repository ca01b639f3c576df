"""Request and response bodies. Requests are strict: unknown fields and wrong types are 422."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

STRICT = ConfigDict(extra="forbid", strict=True)


class GenerateRequest(BaseModel):
    model_config = STRICT

    api_key: str | None = Field(None, description="Or send 'Authorization: Bearer <key>'.")
    prompt: str = Field(..., min_length=1, description="What the program should do.")
    include_reasoning: bool = True
    max_length: int | None = Field(None, ge=1, le=8192, description="Maximum new tokens.")
    temperature: float = Field(0.0, ge=0.0, le=2.0)


class FixRequest(BaseModel):
    model_config = STRICT

    api_key: str | None = None
    code: str = Field(..., min_length=1, description="BioQL program to repair.")


class CompleteRequest(BaseModel):
    model_config = STRICT

    api_key: str | None = None
    prefix: str = Field(..., description="Text before the cursor.")
    suffix: str = Field("", description="Text after the cursor.")
    max_length: int | None = Field(None, ge=1, le=1024)


class RunRequest(BaseModel):
    model_config = STRICT

    api_key: str | None = None
    code: str = Field(..., min_length=1, description="Program whose quantum() calls to run.")


class Timing(BaseModel):
    total_seconds: float
    generation_seconds: float


class CostOut(BaseModel):
    base_cost_usd: float
    user_cost_usd: float
    profit_usd: float
    markup_percent: float = Field(description="Profit as a share of the base cost.")
    margin_percent: float = Field(description="Profit as a share of the price paid.")


class UserOut(BaseModel):
    email: str
    balance: float = Field(description="Balance in USD after this request.")


class GenerateResponse(BaseModel):
    code: str
    reasoning: str
    model: str
    valid: bool
    source: str
    timing: Timing
    tokens_in: int = 0
    tokens_out: int = 0
    interpreted_as: Any = Field(None, description="How the request was read, call by call.")
    cost: CostOut
    user: UserOut
    request_id: str


class FixResponse(BaseModel):
    code: str
    changes: list[str]
    valid: bool
    model: str
    cost: CostOut
    user: UserOut
    request_id: str


class CompleteResponse(BaseModel):
    insertion: str
    model: str
    timing: Timing
    cost: CostOut
    user: UserOut
    request_id: str


class RunOut(BaseModel):
    line: int
    description: str
    backend: str
    shots: int
    counts: dict[str, int] | None = None
    most_likely: str | None = None
    interpretation: str | None = None
    reading: str | None = None  # how BioQL read the description (one canonical sentence)
    note: str | None = None
    error: str | None = None


class RunResponse(BaseModel):
    runs: list[RunOut]
    skipped: list[dict[str, Any]]
    cost: CostOut
    user: UserOut
    request_id: str


class Error(BaseModel):
    detail: str
