"""The commitment an applicant signs for connection works on a line of 150 m or less (one-chain
handling: filed with the departments for information instead of approved). The Chinese text is
the one signed and hashed; the English is a reading aid."""

COMMITMENT_VERSION = "2026-01"

COMMITMENT_TEXT = (
    "本人（本单位）承诺：本次接电外线工程线路长度不超过150米，"
    "施工将遵守城市道路、公路、绿地管理的有关规定，按要求设置安全防护和交通疏导措施，"
    "施工完毕后及时恢复原状；如有违反，依法承担相应责任。"
)

COMMITMENT_TEXT_EN = (
    "I (we) undertake that the external line of these connection works is no longer than 150 m; "
    "that the works will follow the rules on urban roads, highways and green space, with the "
    "required safety and traffic measures; that the site will be restored promptly when the "
    "works are done; and that any breach carries the liability the law provides."
)
