"""The JSON error shape both servers use: ``{"error": {"code", "message", "field"?}}``."""

from __future__ import annotations

from flask import Flask, Response, jsonify
from pydantic import BaseModel, Field
from werkzeug.exceptions import HTTPException


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable, for programs: missing_field, invalid_code...")
    message: str = Field(description="For people")
    field: str | None = Field(None, description="The body field at fault: twoFactor.webhook.endpoint")


class Error(BaseModel):
    """Every JSON error answer."""

    error: ErrorDetail


def error_response(status: int, code: str, message: str, field: str | None = None) -> Response:
    answer = Error(error=ErrorDetail(code=code, message=message, field=field))
    response = jsonify(answer.model_dump(exclude_none=True))
    response.status_code = status
    return response


class ApiError(Exception):
    """Raise from a view to answer with :func:`error_response`."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field


def register_json_errors(app: Flask, wants_json=lambda: True) -> None:
    """Answer ApiError and HTTP errors as JSON (when ``wants_json()``), and never leak a traceback."""

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Response:
        return error_response(error.status, error.code, error.message, error.field)

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        if not wants_json():
            return error
        code = (error.name or "error").lower().replace(" ", "_")
        return error_response(error.code or 500, code, error.description or error.name)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        app.logger.exception("unhandled error")
        if not wants_json():
            return "Internal error", 500
        return error_response(500, "internal_error", "Something went wrong on our side.")
