"""Error codes of the org module."""

DUPLICATE_CODE = "duplicate_code"
DUPLICATE_USERNAME = "duplicate_username"
REGION_CYCLE = "region_cycle"
REGION_IN_USE = "region_in_use"
WRONG_PASSWORD = "wrong_password"  # noqa: S105
WEAK_PASSWORD = "weak_password"  # noqa: S105
INVALID_SCOPE = "invalid_scope"
LAST_OWNER = "last_owner"
KEY_REVOKED = "api_key_revoked"
REGION_TOO_DEEP = "region_too_deep"
