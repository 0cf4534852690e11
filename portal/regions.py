"""Where a clinician works: the NHS integrated care boards (ICBs) and the devolved nations.

A fixed list, chosen rather than typed, so that the register's region filter finds everyone
in a region (a typed "Gtr Manchester" would hide from "NHS Greater Manchester ICB").
"""

from django.db import models


class Region(models.TextChoices):
    BATH_SWINDON_WILTSHIRE = (
        "bsw",
        "NHS Bath and North East Somerset, Swindon and Wiltshire ICB",
    )
    BEDS_LUTON_MK = "blmk", "NHS Bedfordshire, Luton and Milton Keynes ICB"
    BIRMINGHAM_SOLIHULL = "bsol", "NHS Birmingham and Solihull ICB"
    BLACK_COUNTRY = "black_country", "NHS Black Country ICB"
    BRISTOL = "bnssg", "NHS Bristol, North Somerset and South Gloucestershire ICB"
    BOB = "bob", "NHS Buckinghamshire, Oxfordshire and Berkshire West ICB"
    CAMBRIDGESHIRE = "cambs_peterborough", "NHS Cambridgeshire and Peterborough ICB"
    CHESHIRE_MERSEYSIDE = "cheshire_merseyside", "NHS Cheshire and Merseyside ICB"
    CORNWALL = "cornwall", "NHS Cornwall and the Isles of Scilly ICB"
    COVENTRY_WARWICKSHIRE = "coventry_warwickshire", "NHS Coventry and Warwickshire ICB"
    DERBYSHIRE = "derbyshire", "NHS Derby and Derbyshire ICB"
    DEVON = "devon", "NHS Devon ICB"
    DORSET = "dorset", "NHS Dorset ICB"
    FRIMLEY = "frimley", "NHS Frimley ICB"
    GLOUCESTERSHIRE = "gloucestershire", "NHS Gloucestershire ICB"
    GREATER_MANCHESTER = "greater_manchester", "NHS Greater Manchester ICB"
    HAMPSHIRE = "hampshire_iow", "NHS Hampshire and Isle of Wight ICB"
    HEREFORDSHIRE_WORCESTERSHIRE = (
        "hereford_worcester",
        "NHS Herefordshire and Worcestershire ICB",
    )
    HERTFORDSHIRE = "herts_west_essex", "NHS Hertfordshire and West Essex ICB"
    HUMBER_NORTH_YORKSHIRE = "humber_north_yorkshire", "NHS Humber and North Yorkshire ICB"
    KENT_MEDWAY = "kent_medway", "NHS Kent and Medway ICB"
    LANCASHIRE = "lancs_south_cumbria", "NHS Lancashire and South Cumbria ICB"
    LEICESTER = "llr", "NHS Leicester, Leicestershire and Rutland ICB"
    LINCOLNSHIRE = "lincolnshire", "NHS Lincolnshire ICB"
    MID_SOUTH_ESSEX = "mid_south_essex", "NHS Mid and South Essex ICB"
    NORFOLK_WAVENEY = "norfolk_waveney", "NHS Norfolk and Waveney ICB"
    NORTH_CENTRAL_LONDON = "north_central_london", "NHS North Central London ICB"
    NORTH_EAST_CUMBRIA = "ne_north_cumbria", "NHS North East and North Cumbria ICB"
    NORTH_EAST_LONDON = "north_east_london", "NHS North East London ICB"
    NORTH_WEST_LONDON = "north_west_london", "NHS North West London ICB"
    NORTHAMPTONSHIRE = "northamptonshire", "NHS Northamptonshire ICB"
    NOTTINGHAMSHIRE = "nottinghamshire", "NHS Nottingham and Nottinghamshire ICB"
    SHROPSHIRE = "shropshire", "NHS Shropshire, Telford and Wrekin ICB"
    SOMERSET = "somerset", "NHS Somerset ICB"
    SOUTH_EAST_LONDON = "south_east_london", "NHS South East London ICB"
    SOUTH_WEST_LONDON = "south_west_london", "NHS South West London ICB"
    SOUTH_YORKSHIRE = "south_yorkshire", "NHS South Yorkshire ICB"
    STAFFORDSHIRE = "staffordshire", "NHS Staffordshire and Stoke-on-Trent ICB"
    SUFFOLK_NORTH_EAST_ESSEX = "suffolk_ne_essex", "NHS Suffolk and North East Essex ICB"
    SURREY_HEARTLANDS = "surrey_heartlands", "NHS Surrey Heartlands ICB"
    SUSSEX = "sussex", "NHS Sussex ICB"
    WEST_YORKSHIRE = "west_yorkshire", "NHS West Yorkshire ICB"
    SCOTLAND = "scotland", "Scotland (an NHS Scotland health board)"
    WALES = "wales", "Wales (an NHS Wales health board)"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland (a health and social care trust)"
    OUTSIDE_UK = "outside_uk", "Outside the UK"


def region_name(code: str) -> str:
    """The region's name for CODE ("" for none; the code itself if it is not on the list)."""
    if not code:
        return ""
    try:
        return Region(code).label
    except ValueError:
        return code
