"""Reference data about Scotland used by demo data, the benchmark generator and the web app.

Pure data: no imports from Flask or the rest of the application.

* The 32 council areas, each with its council, the territorial NHS board serving it, its
  administrative centre and that centre's latitude/longitude (2 decimals).
* National third-sector employers (and national statutory justice bodies) with the specialisms
  they mostly employ at a strategic level.
* Scottish first names and surnames, strategic job titles by specialism and sector.
* ``excluded_employers_for(area_id)``: the one place the conflict-of-interest rule of thumb lives
  (an inspection of an area proposes excluding the area's council and its NHS board).

Populations are National Records of Scotland mid-2022 estimates rounded to the nearest thousand;
they are used only to weight where generated assessors live.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Specialism = Literal["children", "adults", "justice"]
Sector = Literal["statutory", "third"]

SPECIALISMS: tuple[Specialism, ...] = ("children", "adults", "justice")
SECTORS: tuple[Sector, ...] = ("statutory", "third")


@dataclass(frozen=True, slots=True)
class NhsBoard:
    name: str


@dataclass(frozen=True, slots=True)
class CouncilArea:
    id: str
    name: str
    council: str
    nhs_board: str
    admin_centre: str
    lat: float
    lon: float
    population: int


@dataclass(frozen=True, slots=True)
class NationalEmployer:
    name: str
    sector: Sector
    specialisms: tuple[Specialism, ...]
    description: str


NHS_BOARDS: tuple[str, ...] = (
    "NHS Ayrshire and Arran",
    "NHS Borders",
    "NHS Dumfries and Galloway",
    "NHS Fife",
    "NHS Forth Valley",
    "NHS Grampian",
    "NHS Greater Glasgow and Clyde",
    "NHS Highland",
    "NHS Lanarkshire",
    "NHS Lothian",
    "NHS Orkney",
    "NHS Shetland",
    "NHS Tayside",
    "NHS Western Isles",
)

_GGC = "NHS Greater Glasgow and Clyde"

# Aberdeenshire Council's headquarters (Woodhill House) stand in Aberdeen, outside its own area;
# the coordinates are those of the headquarters, as for every other council.
COUNCIL_AREAS: tuple[CouncilArea, ...] = (
    CouncilArea("aberdeen-city", "Aberdeen City", "Aberdeen City Council",
                "NHS Grampian", "Aberdeen", 57.15, -2.09, 224_000),
    CouncilArea("aberdeenshire", "Aberdeenshire", "Aberdeenshire Council",
                "NHS Grampian", "Aberdeen (Woodhill House)", 57.15, -2.14, 264_000),
    CouncilArea("angus", "Angus", "Angus Council",
                "NHS Tayside", "Forfar", 56.64, -2.89, 115_000),
    CouncilArea("argyll-and-bute", "Argyll and Bute", "Argyll and Bute Council",
                "NHS Highland", "Lochgilphead", 56.04, -5.43, 87_000),
    CouncilArea("clackmannanshire", "Clackmannanshire", "Clackmannanshire Council",
                "NHS Forth Valley", "Alloa", 56.12, -3.79, 52_000),
    CouncilArea("dumfries-and-galloway", "Dumfries and Galloway", "Dumfries and Galloway Council",
                "NHS Dumfries and Galloway", "Dumfries", 55.07, -3.61, 146_000),
    CouncilArea("dundee-city", "Dundee City", "Dundee City Council",
                "NHS Tayside", "Dundee", 56.46, -2.97, 149_000),
    CouncilArea("east-ayrshire", "East Ayrshire", "East Ayrshire Council",
                "NHS Ayrshire and Arran", "Kilmarnock", 55.61, -4.50, 120_000),
    CouncilArea("east-dunbartonshire", "East Dunbartonshire", "East Dunbartonshire Council",
                _GGC, "Kirkintilloch", 55.94, -4.15, 109_000),
    CouncilArea("east-lothian", "East Lothian", "East Lothian Council",
                "NHS Lothian", "Haddington", 55.96, -2.78, 112_000),
    CouncilArea("east-renfrewshire", "East Renfrewshire", "East Renfrewshire Council",
                _GGC, "Giffnock", 55.80, -4.29, 97_000),
    CouncilArea("city-of-edinburgh", "City of Edinburgh", "City of Edinburgh Council",
                "NHS Lothian", "Edinburgh", 55.95, -3.19, 515_000),
    CouncilArea("falkirk", "Falkirk", "Falkirk Council",
                "NHS Forth Valley", "Falkirk", 56.00, -3.78, 159_000),
    CouncilArea("fife", "Fife", "Fife Council",
                "NHS Fife", "Glenrothes", 56.20, -3.17, 372_000),
    CouncilArea("glasgow-city", "Glasgow City", "Glasgow City Council",
                _GGC, "Glasgow", 55.86, -4.25, 623_000),
    CouncilArea("highland", "Highland", "The Highland Council",
                "NHS Highland", "Inverness", 57.48, -4.22, 235_000),
    CouncilArea("inverclyde", "Inverclyde", "Inverclyde Council",
                _GGC, "Greenock", 55.95, -4.76, 78_000),
    CouncilArea("midlothian", "Midlothian", "Midlothian Council",
                "NHS Lothian", "Dalkeith", 55.89, -3.07, 97_000),
    CouncilArea("moray", "Moray", "The Moray Council",
                "NHS Grampian", "Elgin", 57.65, -3.32, 94_000),
    CouncilArea("na-h-eileanan-siar", "Na h-Eileanan Siar", "Comhairle nan Eilean Siar",
                "NHS Western Isles", "Stornoway", 58.21, -6.39, 26_000),
    CouncilArea("north-ayrshire", "North Ayrshire", "North Ayrshire Council",
                "NHS Ayrshire and Arran", "Irvine", 55.61, -4.67, 133_000),
    CouncilArea("north-lanarkshire", "North Lanarkshire", "North Lanarkshire Council",
                "NHS Lanarkshire", "Motherwell", 55.79, -3.99, 341_000),
    CouncilArea("orkney-islands", "Orkney Islands", "Orkney Islands Council",
                "NHS Orkney", "Kirkwall", 58.98, -2.96, 22_000),
    CouncilArea("perth-and-kinross", "Perth and Kinross", "Perth and Kinross Council",
                "NHS Tayside", "Perth", 56.40, -3.43, 154_000),
    CouncilArea("renfrewshire", "Renfrewshire", "Renfrewshire Council",
                _GGC, "Paisley", 55.85, -4.42, 184_000),
    CouncilArea("scottish-borders", "Scottish Borders", "Scottish Borders Council",
                "NHS Borders", "Newtown St Boswells", 55.58, -2.67, 116_000),
    CouncilArea("shetland-islands", "Shetland Islands", "Shetland Islands Council",
                "NHS Shetland", "Lerwick", 60.15, -1.15, 23_000),
    CouncilArea("south-ayrshire", "South Ayrshire", "South Ayrshire Council",
                "NHS Ayrshire and Arran", "Ayr", 55.46, -4.63, 112_000),
    CouncilArea("south-lanarkshire", "South Lanarkshire", "South Lanarkshire Council",
                "NHS Lanarkshire", "Hamilton", 55.78, -4.04, 327_000),
    CouncilArea("stirling", "Stirling", "Stirling Council",
                "NHS Forth Valley", "Stirling", 56.12, -3.94, 93_000),
    CouncilArea("west-dunbartonshire", "West Dunbartonshire", "West Dunbartonshire Council",
                _GGC, "Dumbarton", 55.94, -4.57, 88_000),
    CouncilArea("west-lothian", "West Lothian", "West Lothian Council",
                "NHS Lothian", "Livingston", 55.90, -3.52, 182_000),
)

AREAS_BY_ID: dict[str, CouncilArea] = {a.id: a for a in COUNCIL_AREAS}

COUNCILS: tuple[str, ...] = tuple(a.council for a in COUNCIL_AREAS)


def area(area_id: str) -> CouncilArea:
    """The council area with this slug id (``KeyError`` names the unknown id)."""
    try:
        return AREAS_BY_ID[area_id]
    except KeyError:
        raise KeyError(f"unknown council area {area_id!r}") from None


def excluded_employers_for(area_id: str) -> tuple[str, ...]:
    """The employers an inspection of ``area_id`` excludes: the area's council and NHS board.

    This is the single home of that rule of thumb; coordinators may add partner bodies by hand.
    """
    a = area(area_id)
    return (a.council, a.nhs_board)


def areas_served_by(employer: str) -> tuple[str, ...]:
    """Ids of the council areas a council or NHS board serves (empty for national employers)."""
    return tuple(a.id for a in COUNCIL_AREAS if employer in (a.council, a.nhs_board))


NATIONAL_EMPLOYERS: tuple[NationalEmployer, ...] = (
    NationalEmployer("Barnardo's Scotland", "third", ("children", "justice"),
                     "children and young people, families, youth justice"),
    NationalEmployer("Includem", "third", ("children", "justice"),
                     "intensive support for young people and families"),
    NationalEmployer("Action for Children", "third", ("children",),
                     "children's services, fostering, short breaks"),
    NationalEmployer("Aberlour Children's Charity", "third", ("children",),
                     "children and families, residential care, substance use"),
    NationalEmployer("Quarriers", "third", ("children", "adults"),
                     "children, families, disability, epilepsy, homelessness"),
    NationalEmployer("Children 1st", "third", ("children",),
                     "family support, child protection, Bairns' Hoose"),
    NationalEmployer("Who Cares? Scotland", "third", ("children",),
                     "advocacy for care-experienced people"),
    NationalEmployer("Circle", "third", ("children", "justice"),
                     "families affected by substance use and imprisonment"),
    NationalEmployer("Sacro", "third", ("justice",),
                     "community justice, mediation, bail and throughcare"),
    NationalEmployer("Families Outside", "third", ("justice", "children"),
                     "families affected by imprisonment"),
    NationalEmployer("Apex Scotland", "third", ("justice",),
                     "employability for people with convictions"),
    NationalEmployer("Venture Trust", "third", ("justice", "adults"),
                     "personal development for people in the justice system"),
    NationalEmployer("The Robertson Trust", "third", ("justice", "children"),
                     "funder; poverty, trauma and justice programmes"),
    NationalEmployer("The Salvation Army", "third", ("adults", "justice"),
                     "homelessness, addictions, employment"),
    NationalEmployer("Penumbra Mental Health", "third", ("adults",),
                     "mental health support"),
    NationalEmployer("Alzheimer Scotland", "third", ("adults",),
                     "dementia support and services"),
    NationalEmployer("Enable Scotland", "third", ("adults", "children"),
                     "people with learning disabilities"),
    NationalEmployer("Turning Point Scotland", "third", ("adults", "justice"),
                     "substance use, homelessness, learning disability, criminal justice"),
    NationalEmployer("CrossReach", "third", ("adults", "children", "justice"),
                     "Church of Scotland social care"),
    NationalEmployer("Scottish Association for Mental Health (SAMH)", "third", ("adults",),
                     "mental health"),
    NationalEmployer("Cornerstone", "third", ("adults",),
                     "care at home, learning disability, autism"),
    NationalEmployer("Police Scotland", "statutory", ("justice", "children", "adults"),
                     "public protection units (child and adult protection, MAPPA)"),
    NationalEmployer("Scottish Prison Service", "statutory", ("justice",),
                     "custody, throughcare, prison-based social work partnerships"),
    NationalEmployer("Scottish Children's Reporter Administration", "statutory", ("children",),
                     "children's hearings system"),
)

NATIONAL_EMPLOYERS_BY_NAME: dict[str, NationalEmployer] = {e.name: e for e in NATIONAL_EMPLOYERS}


def national_employers_for(specialism: str, sector: str | None = None) -> tuple[NationalEmployer, ...]:
    """National employers who mostly employ this specialism (optionally of one sector)."""
    return tuple(
        e for e in NATIONAL_EMPLOYERS
        if specialism in e.specialisms and (sector is None or e.sector == sector)
    )


FIRST_NAMES: tuple[str, ...] = (
    "Morag", "Eilidh", "Isla", "Catriona", "Fiona", "Kirsty", "Mhairi", "Ailsa", "Shona", "Rhona",
    "Iona", "Kirsteen", "Elspeth", "Ishbel", "Lorna", "Moira", "Sheena", "Mairi", "Alison",
    "Heather", "Gillian", "Lesley", "Carol", "Joanne", "Claire", "Lynne", "Nicola", "Karen",
    "Susan", "Aileen", "Jennifer", "Margaret", "Deirdre", "Kathleen", "Grace", "Freya", "Skye",
    "Eilidh-Ann", "Jean", "Annie", "Euan", "Callum", "Hamish", "Angus", "Fraser", "Ruaridh",
    "Calum", "Iain", "Alasdair", "Gregor", "Ewan", "Struan", "Murdo", "Duncan", "Douglas",
    "Graeme", "Stuart", "Craig", "Kenneth", "Neil", "Alistair", "Gordon", "Ross", "Scott",
    "Jamie", "Lachlan", "Finlay", "Niall", "Torquil", "Somhairle", "Mohammed", "Aamir",
    "Priya", "Tomasz", "Agnieszka", "David", "Andrew", "Colin", "Brian", "Derek",
)

SURNAMES: tuple[str, ...] = (
    "MacDonald", "Campbell", "Stewart", "Robertson", "Thomson", "Anderson", "Scott", "Murray",
    "MacLeod", "Reid", "Taylor", "Clark", "Ross", "Paterson", "Young", "Watson", "Mitchell",
    "Morrison", "Fraser", "Henderson", "Graham", "Hamilton", "Gray", "Ferguson", "Kerr",
    "Johnston", "Hunter", "Cameron", "Duncan", "Sinclair", "McKenzie", "Grant", "Munro",
    "Buchanan", "Lyle", "Baird", "Rennie", "Dunlop", "Drummond", "Urquhart", "Lamont",
    "MacKay", "MacLean", "McIntyre", "McGregor", "Shaw", "Bruce", "Cunningham", "Crawford",
    "Gillies", "Matheson", "Nicolson", "Morrice", "Ogilvie", "Rutherford", "Sutherland", "Tait",
    "Wallace", "Wilson", "Docherty", "Brennan", "Quinn", "Gallacher", "McAllister", "Imrie",
    "Souter", "Leask", "Flett", "Rendall", "Begg", "Cowie", "Falconer", "Guthrie", "Kinnear",
    "Laidlaw", "Nisbet", "Pirie", "Strachan", "Mowat", "Halcrow", "Ahmed", "Kowalski",
)

# Strategic-level titles by specialism and sector.
JOB_TITLES: dict[tuple[str, str], tuple[str, ...]] = {
    ("children", "statutory"): (
        "Head of Children's Services",
        "Chief Social Work Officer",
        "Service Manager, Children and Families",
        "Service Manager, Child Protection",
        "Lead Officer, Child Protection Committee",
        "Lead Nurse, Child Protection",
        "Head of Health Visiting and School Nursing",
        "Principal Educational Psychologist",
        "Quality Improvement Manager, Education Services",
        "Detective Chief Inspector, Public Protection",
        "Locality Reporter Manager",
    ),
    ("children", "third"): (
        "Head of Operations (Scotland)",
        "Assistant Director, Children's Services",
        "Director of Children and Family Services",
        "Head of Practice and Quality",
        "Service Manager, Family Support",
        "National Manager, Corporate Parenting",
    ),
    ("adults", "statutory"): (
        "Head of Adult Services",
        "Chief Officer, Health and Social Care Partnership",
        "Chief Social Work Officer",
        "Service Manager, Adult Support and Protection",
        "Lead Officer, Adult Protection Committee",
        "Lead Nurse, Adult Protection",
        "Head of Mental Health and Learning Disability Services",
        "Associate Director of Nursing",
        "Head of Older People's Services",
    ),
    ("adults", "third"): (
        "Head of Operations (Scotland)",
        "Director of Care and Support",
        "Assistant Director, Adult Services",
        "Head of Quality and Practice",
        "Regional Manager, Mental Health Services",
    ),
    ("justice", "statutory"): (
        "Service Manager, Justice Social Work",
        "Head of Justice Services",
        "Chief Social Work Officer",
        "Lead Officer, MAPPA",
        "Detective Superintendent, Public Protection",
        "Head of Offender Outcomes",
        "Community Justice Partnership Manager",
    ),
    ("justice", "third"): (
        "Head of Operations (Scotland)",
        "Director of Justice Services",
        "Head of Community Justice",
        "Service Manager, Throughcare and Reintegration",
        "Assistant Director, Youth Justice",
    ),
}


def job_titles_for(specialism: str, sector: str) -> tuple[str, ...]:
    """Strategic job titles for a specialism in a sector."""
    return JOB_TITLES[(specialism, sector)]


INSPECTION_TYPES: dict[str, str] = {
    "children": "Joint inspection of services for children at risk of harm in {area}",
    "adults": "Joint inspection of adult support and protection in {area}",
    "justice": "Joint inspection of justice social work in {area}",
    "thematic": "Thematic review of {topic}",
}

THEMATIC_TOPICS: tuple[str, ...] = (
    "services for children and young people in secure care",
    "transitions for young people leaving care",
    "community payback orders",
    "mental health support for adults in the justice system",
    "multi-agency public protection arrangements",
    "care-experienced young people in the justice system",
)
