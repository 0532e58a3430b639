"""The standard theme catalogue (issue: signal intake, point 1)."""

STANDARD_THEMES = [
    ("drugs-productie", "Drugs", "productie"),
    ("drugs-handel", "Drugs", "handel"),
    ("drugs-dealen", "Drugs", "dealen"),
    ("mensenhandel", "Mensenhandel", "mensenhandel"),
    ("arbeidsuitbuiting", "Mensenhandel", "arbeidsuitbuiting"),
    ("seksuele-uitbuiting", "Mensenhandel", "seksuele uitbuiting"),
    ("illegale-prostitutie", "Seksbranche", "illegale prostitutie / seksbranche"),
    ("witwassen", "Witwassen", "witwassen"),
    ("zorgfraude", "Zorgfraude", "zorgfraude"),
    ("vastgoed", "Vastgoed", "vastgoed / huisjesmelkerij"),
    ("autobranche", "Branches", "autobranche"),
    ("horeca", "Branches", "horeca"),
    ("bedrijventerreinen", "Locaties", "bedrijventerreinen / vakantieparken"),
    ("explosies-geweld", "Geweld", "explosies / geweld"),
    ("jonge-aanwas", "Jonge aanwas", "jonge aanwas"),
    ("uitkeringsfraude", "Uitkeringsfraude", "uitkeringsfraude"),
    ("overig", "Overig", "overig"),
]
