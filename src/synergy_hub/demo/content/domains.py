"""The application domains the demo's resources, SMEs and needs are about."""

from __future__ import annotations

# Application domains: (key, Chinese, English, GB/T 4754 divisions it serves)
DOMAINS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("auto", "汽车零部件", "automotive parts", ("36",)),
    ("electronics", "电子信息", "electronics", ("39",)),
    ("materials", "新材料", "advanced materials", ("26", "30", "32")),
    ("biomed", "生物医药", "biomedicine", ("27",)),
    ("textile", "纺织服装", "textiles and apparel", ("17", "18")),
    ("food", "食品加工", "food processing", ("13", "14")),
    ("machinery", "高端装备", "high-end equipment", ("34", "35")),
    ("energy", "新能源", "new energy", ("38", "44")),
    ("agri", "智慧农业", "smart agriculture", ("01", "05")),
    ("logistics", "现代物流", "modern logistics", ("54", "59")),
    ("retail", "商贸零售", "retail and trade", ("51", "52")),
    ("chemicals", "精细化工", "fine chemicals", ("26",)),
    ("software", "软件信息", "software and IT services", ("65",)),
)
