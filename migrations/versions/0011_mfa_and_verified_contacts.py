"""Two-step sign-in (TOTP secret, recovery codes) and verified employer contacts (employers' mail
domains, when an agreement's contact was verified)

Revision ID: 0011
Revises: 0010

Existing agreements are left unverified unless the contact's address is on the employer's domains:
before this, anyone could name any address (their own included), so a coordinator confirms the rest
before another deployment confirmation goes to them.
"""
from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = '0010'
branch_labels = None
depends_on = None

BUMP = "UPDATE data_version SET version = version + 1 WHERE id = 1"

# Frozen here (as 0002 froze the employers): the domains each employer's staff write from.
NHS = ["nhs.scot"]
DOMAINS = {
    "Aberdeen City Council": ["aberdeencity.gov.uk"],
    "Aberdeenshire Council": ["aberdeenshire.gov.uk"],
    "Angus Council": ["angus.gov.uk"],
    "Argyll and Bute Council": ["argyll-bute.gov.uk"],
    "Clackmannanshire Council": ["clacks.gov.uk"],
    "Comhairle nan Eilean Siar": ["cne-siar.gov.uk"],
    "Dumfries and Galloway Council": ["dumgal.gov.uk"],
    "Dundee City Council": ["dundeecity.gov.uk"],
    "East Ayrshire Council": ["east-ayrshire.gov.uk"],
    "East Dunbartonshire Council": ["eastdunbarton.gov.uk"],
    "East Lothian Council": ["eastlothian.gov.uk"],
    "East Renfrewshire Council": ["eastrenfrewshire.gov.uk"],
    "City of Edinburgh Council": ["edinburgh.gov.uk"],
    "Falkirk Council": ["falkirk.gov.uk"],
    "Fife Council": ["fife.gov.uk"],
    "Glasgow City Council": ["glasgow.gov.uk"],
    "The Highland Council": ["highland.gov.uk"],
    "Inverclyde Council": ["inverclyde.gov.uk"],
    "Midlothian Council": ["midlothian.gov.uk"],
    "The Moray Council": ["moray.gov.uk"],
    "North Ayrshire Council": ["north-ayrshire.gov.uk"],
    "North Lanarkshire Council": ["northlan.gov.uk"],
    "Orkney Islands Council": ["orkney.gov.uk"],
    "Perth and Kinross Council": ["pkc.gov.uk"],
    "Renfrewshire Council": ["renfrewshire.gov.uk"],
    "Scottish Borders Council": ["scotborders.gov.uk"],
    "Shetland Islands Council": ["shetland.gov.uk"],
    "South Ayrshire Council": ["south-ayrshire.gov.uk"],
    "South Lanarkshire Council": ["southlanarkshire.gov.uk"],
    "Stirling Council": ["stirling.gov.uk"],
    "West Dunbartonshire Council": ["west-dunbarton.gov.uk"],
    "West Lothian Council": ["westlothian.gov.uk"],
    "NHS Ayrshire and Arran": NHS,
    "NHS Borders": NHS,
    "NHS Dumfries and Galloway": NHS,
    "NHS Fife": NHS,
    "NHS Forth Valley": NHS,
    "NHS Grampian": NHS,
    "NHS Greater Glasgow and Clyde": NHS,
    "NHS Highland": NHS,
    "NHS Lanarkshire": NHS,
    "NHS Lothian": NHS,
    "NHS Orkney": NHS,
    "NHS Shetland": NHS,
    "NHS Tayside": NHS,
    "NHS Western Isles": NHS,
    "Barnardo's Scotland": ["barnardos.org.uk"],
    "Includem": ["includem.co.uk"],
    "Action for Children": ["actionforchildren.org.uk"],
    "Aberlour Children's Charity": ["aberlour.org.uk"],
    "Quarriers": ["quarriers.org.uk"],
    "Children 1st": ["children1st.org.uk"],
    "Who Cares? Scotland": ["whocaresscotland.org"],
    "Circle": ["circle.scot"],
    "Sacro": ["sacro.org.uk"],
    "Families Outside": ["familiesoutside.org.uk"],
    "Apex Scotland": ["apexscotland.org.uk"],
    "Venture Trust": ["venturetrust.org.uk"],
    "The Robertson Trust": ["therobertsontrust.org.uk"],
    "The Salvation Army": ["salvationarmy.org.uk"],
    "Penumbra Mental Health": ["penumbra.org.uk"],
    "Alzheimer Scotland": ["alzscot.org"],
    "Enable Scotland": ["enable.org.uk"],
    "Turning Point Scotland": ["turningpointscotland.com"],
    "CrossReach": ["crossreach.org.uk"],
    "Scottish Association for Mental Health (SAMH)": ["samh.org.uk"],
    "Cornerstone": ["cornerstone.org.uk"],
    "Police Scotland": ["scotland.police.uk"],
    "Scottish Prison Service": ["sps.pnn.gov.uk"],
    "Scottish Children's Reporter Administration": ["scra.gov.uk"],
}

employer = sa.table("employer", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("email_domains", sa.JSON))
agreement = sa.table("employer_agreement", sa.column("id", sa.Integer), sa.column("employer_id", sa.Integer),
                     sa.column("contact_email", sa.String), sa.column("contact_verified_at", sa.DateTime))


def upgrade():
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], name=op.f("fk_recovery_code_user_id_user_account"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_recovery_code_code_hash")),
    )
    op.create_index(op.f("ix_recovery_code_user_id"), "recovery_code", ["user_id"], unique=False)
    # Plain ADD COLUMN (no batch rebuild), so the tables keep their data-version triggers.
    op.add_column("user_account", sa.Column("totp_secret", sa.String(length=32), nullable=True))
    op.add_column("user_account", sa.Column("mfa_enrolled_at", sa.DateTime(), nullable=True))
    op.add_column("user_account", sa.Column("totp_last_step", sa.BigInteger(), nullable=True))
    op.add_column("employer", sa.Column("email_domains", sa.JSON(), nullable=False, server_default="[]"))
    # A foreign key on an existing table rebuilds it on SQLite, which drops its triggers: added again.
    with op.batch_alter_table("employer_agreement") as batch:
        batch.add_column(sa.Column("contact_verified_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("contact_verified_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_employer_agreement_contact_verified_by_id_user_account"),
                                 "user_account", ["contact_verified_by_id"], ["id"])
    if op.get_bind().dialect.name == "sqlite":
        _data_version_triggers("employer_agreement")
    _data_version_triggers("recovery_code")

    for name, domains in DOMAINS.items():
        op.execute(employer.update().where(employer.c.name == name).values(email_domains=domains))
    bind = op.get_bind()
    domains_of = {row.id: row.email_domains or [] for row in bind.execute(sa.select(employer.c.id, employer.c.email_domains))}
    for row in bind.execute(sa.select(agreement.c.id, agreement.c.employer_id, agreement.c.contact_email)).all():
        if row.contact_email.rpartition("@")[2].lower() in domains_of.get(row.employer_id, []):
            bind.execute(agreement.update().where(agreement.c.id == row.id)
                         .values(contact_verified_at=sa.func.current_timestamp()))


def _data_version_triggers(table: str) -> None:
    """As migration 0008 gives every tracked table."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f'CREATE TRIGGER bump_data_version AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE '
                   f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version()')
    else:
        for operation in ("insert", "update", "delete"):
            op.execute(f'CREATE TRIGGER "{table}_{operation}_bumps_data_version" AFTER {operation.upper()} '
                       f'ON "{table}" BEGIN {BUMP}; END')


def downgrade():
    with op.batch_alter_table("employer_agreement") as batch:
        batch.drop_constraint(op.f("fk_employer_agreement_contact_verified_by_id_user_account"), type_="foreignkey")
        batch.drop_column("contact_verified_by_id")
        batch.drop_column("contact_verified_at")
    if op.get_bind().dialect.name == "sqlite":
        _data_version_triggers("employer_agreement")
    op.drop_column("employer", "email_domains")
    op.drop_column("user_account", "totp_last_step")
    op.drop_column("user_account", "mfa_enrolled_at")
    op.drop_column("user_account", "totp_secret")
    op.drop_index(op.f("ix_recovery_code_user_id"), table_name="recovery_code")
    op.drop_table("recovery_code")
