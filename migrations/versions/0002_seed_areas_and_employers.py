"""Seed the 32 council areas and the employers that serve them

The data is frozen here (copied from scheduler/reference.py when this was written) so that
replaying history always builds the same database.

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (id, name, admin-centre latitude, longitude, council, NHS board)
AREAS = [
    ('aberdeen-city', 'Aberdeen City', 57.15, -2.09, 'Aberdeen City Council', 'NHS Grampian'),
    ('aberdeenshire', 'Aberdeenshire', 57.15, -2.14, 'Aberdeenshire Council', 'NHS Grampian'),
    ('angus', 'Angus', 56.64, -2.89, 'Angus Council', 'NHS Tayside'),
    ('argyll-and-bute', 'Argyll and Bute', 56.04, -5.43, 'Argyll and Bute Council', 'NHS Highland'),
    ('clackmannanshire', 'Clackmannanshire', 56.12, -3.79, 'Clackmannanshire Council', 'NHS Forth Valley'),
    ('dumfries-and-galloway', 'Dumfries and Galloway', 55.07, -3.61, 'Dumfries and Galloway Council', 'NHS Dumfries and Galloway'),
    ('dundee-city', 'Dundee City', 56.46, -2.97, 'Dundee City Council', 'NHS Tayside'),
    ('east-ayrshire', 'East Ayrshire', 55.61, -4.5, 'East Ayrshire Council', 'NHS Ayrshire and Arran'),
    ('east-dunbartonshire', 'East Dunbartonshire', 55.94, -4.15, 'East Dunbartonshire Council', 'NHS Greater Glasgow and Clyde'),
    ('east-lothian', 'East Lothian', 55.96, -2.78, 'East Lothian Council', 'NHS Lothian'),
    ('east-renfrewshire', 'East Renfrewshire', 55.8, -4.29, 'East Renfrewshire Council', 'NHS Greater Glasgow and Clyde'),
    ('city-of-edinburgh', 'City of Edinburgh', 55.95, -3.19, 'City of Edinburgh Council', 'NHS Lothian'),
    ('falkirk', 'Falkirk', 56.0, -3.78, 'Falkirk Council', 'NHS Forth Valley'),
    ('fife', 'Fife', 56.2, -3.17, 'Fife Council', 'NHS Fife'),
    ('glasgow-city', 'Glasgow City', 55.86, -4.25, 'Glasgow City Council', 'NHS Greater Glasgow and Clyde'),
    ('highland', 'Highland', 57.48, -4.22, 'The Highland Council', 'NHS Highland'),
    ('inverclyde', 'Inverclyde', 55.95, -4.76, 'Inverclyde Council', 'NHS Greater Glasgow and Clyde'),
    ('midlothian', 'Midlothian', 55.89, -3.07, 'Midlothian Council', 'NHS Lothian'),
    ('moray', 'Moray', 57.65, -3.32, 'The Moray Council', 'NHS Grampian'),
    ('na-h-eileanan-siar', 'Na h-Eileanan Siar', 58.21, -6.39, 'Comhairle nan Eilean Siar', 'NHS Western Isles'),
    ('north-ayrshire', 'North Ayrshire', 55.61, -4.67, 'North Ayrshire Council', 'NHS Ayrshire and Arran'),
    ('north-lanarkshire', 'North Lanarkshire', 55.79, -3.99, 'North Lanarkshire Council', 'NHS Lanarkshire'),
    ('orkney-islands', 'Orkney Islands', 58.98, -2.96, 'Orkney Islands Council', 'NHS Orkney'),
    ('perth-and-kinross', 'Perth and Kinross', 56.4, -3.43, 'Perth and Kinross Council', 'NHS Tayside'),
    ('renfrewshire', 'Renfrewshire', 55.85, -4.42, 'Renfrewshire Council', 'NHS Greater Glasgow and Clyde'),
    ('scottish-borders', 'Scottish Borders', 55.58, -2.67, 'Scottish Borders Council', 'NHS Borders'),
    ('shetland-islands', 'Shetland Islands', 60.15, -1.15, 'Shetland Islands Council', 'NHS Shetland'),
    ('south-ayrshire', 'South Ayrshire', 55.46, -4.63, 'South Ayrshire Council', 'NHS Ayrshire and Arran'),
    ('south-lanarkshire', 'South Lanarkshire', 55.78, -4.04, 'South Lanarkshire Council', 'NHS Lanarkshire'),
    ('stirling', 'Stirling', 56.12, -3.94, 'Stirling Council', 'NHS Forth Valley'),
    ('west-dunbartonshire', 'West Dunbartonshire', 55.94, -4.57, 'West Dunbartonshire Council', 'NHS Greater Glasgow and Clyde'),
    ('west-lothian', 'West Lothian', 55.9, -3.52, 'West Lothian Council', 'NHS Lothian'),
]

NATIONAL_EMPLOYERS = [
    ("Barnardo's Scotland", 'third_sector'),
    ('Includem', 'third_sector'),
    ('Action for Children', 'third_sector'),
    ("Aberlour Children's Charity", 'third_sector'),
    ('Quarriers', 'third_sector'),
    ('Children 1st', 'third_sector'),
    ('Who Cares? Scotland', 'third_sector'),
    ('Circle', 'third_sector'),
    ('Sacro', 'third_sector'),
    ('Families Outside', 'third_sector'),
    ('Apex Scotland', 'third_sector'),
    ('Venture Trust', 'third_sector'),
    ('The Robertson Trust', 'third_sector'),
    ('The Salvation Army', 'third_sector'),
    ('Penumbra Mental Health', 'third_sector'),
    ('Alzheimer Scotland', 'third_sector'),
    ('Enable Scotland', 'third_sector'),
    ('Turning Point Scotland', 'third_sector'),
    ('CrossReach', 'third_sector'),
    ('Scottish Association for Mental Health (SAMH)', 'third_sector'),
    ('Cornerstone', 'third_sector'),
    ('Police Scotland', 'other_statutory'),
    ('Scottish Prison Service', 'other_statutory'),
    ("Scottish Children's Reporter Administration", 'other_statutory'),
]

area = sa.table("area", sa.column("id", sa.String), sa.column("name", sa.String),
                sa.column("lat", sa.Float), sa.column("lon", sa.Float))
employer = sa.table("employer", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("kind", sa.String))
employer_area = sa.table("employer_area", sa.column("employer_id", sa.Integer),
                         sa.column("area_id", sa.String))


def upgrade():
    op.bulk_insert(area, [{"id": a, "name": n, "lat": lat, "lon": lon} for a, n, lat, lon, _, _ in AREAS])
    served: dict[tuple[str, str], list[str]] = {}
    for area_id, _, _, _, council, board in AREAS:
        served.setdefault((council, "council"), []).append(area_id)
        served.setdefault((board, "nhs_board"), []).append(area_id)
    for name, kind in NATIONAL_EMPLOYERS:
        served.setdefault((name, kind), [])
    rows = []
    links = []
    for employer_id, ((name, kind), area_ids) in enumerate(sorted(served.items()), start=1):
        rows.append({"id": employer_id, "name": name, "kind": kind})
        links.extend({"employer_id": employer_id, "area_id": a} for a in area_ids)
    op.bulk_insert(employer, rows)
    op.bulk_insert(employer_area, links)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("SELECT setval(pg_get_serial_sequence('employer', 'id'), (SELECT max(id) FROM employer))")


def downgrade():
    op.execute(employer_area.delete())
    op.execute(employer.delete())
    op.execute(area.delete())
