"""The tags pin-base-images (DF016) puts on `:latest` and untagged base images: what
`latest` pointed to when this table was written, same variant (no `-slim` added).
Only images whose current release we could confirm; configuration can override or
extend the table (option `base_image_pins`). Review it with every release.
"""

VERSION = "2026-11"

PINS = {
    "alpine": "3.24",
    "busybox": "1.37",
    "debian": "13",
}
