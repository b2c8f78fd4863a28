"""ORM rows of the closet database (SQLAlchemy 2 declarative tables)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

CLOSET_COLLECTION_ID = 1  # the closet is collection 1, created by the first migration

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CollectionRow(Base):
    """The closet (id 1) or an imported shop catalogue."""

    __tablename__ = "collections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # "closet" | "catalogue"
    source: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ItemRow(Base):
    """A garment photo with what the import pipeline and the user said about it."""

    __tablename__ = "items"
    # AUTOINCREMENT: an id is never handed out twice, even after the newest item is removed
    __table_args__ = (
        UniqueConstraint("collection_id", "content_hash", name="uq_items_collection_hash"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("collections.id", ondelete="CASCADE"), index=True, default=CLOSET_COLLECTION_ID
    )
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    photo_path: Mapped[str] = mapped_column(Text)  # relative to the data dir
    cutout_path: Mapped[str | None] = mapped_column(Text)
    thumb_path: Mapped[str | None] = mapped_column(Text)
    mask_path: Mapped[str | None] = mapped_column(Text)
    source_name: Mapped[str | None] = mapped_column(Text)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(String(50), index=True)
    group: Mapped[str | None] = mapped_column("group_name", String(20), index=True)
    confidence: Mapped[float | None] = mapped_column(Float)
    classifier_version: Mapped[str | None] = mapped_column(String(100))
    needs_review: Mapped[bool] = mapped_column(Boolean, default=False)
    corrected: Mapped[bool] = mapped_column(Boolean, default=False)
    # the user accepted the classifier's guess (a confirmation, kept like a correction)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    multicolour: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    season: Mapped[str | None] = mapped_column(String(20))
    formality: Mapped[int | None] = mapped_column(Integer)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    added_at: Mapped[datetime] = mapped_column(DateTime)
    # catalogue products only
    external_id: Mapped[str | None] = mapped_column(String(200))
    price: Mapped[float | None] = mapped_column(Float)
    url: Mapped[str | None] = mapped_column(Text)
    # the catalogue's own word for what the product is, as its CSV wrote it ("Casual Shoes"; 0007)
    shop_kind: Mapped[str | None] = mapped_column(String(100))
    # closet life (0004): available | laundry | lent | repair; wears since it last came back from the wash
    status: Mapped[str] = mapped_column(String(20), default="available", server_default="available")
    wears_since_wash: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    purchased_on: Mapped[date | None] = mapped_column(Date)
    # item details and the trash (0005): a trashed item is out of the closet until restored or emptied
    brand: Mapped[str | None] = mapped_column(Text)
    trashed_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)

    colours: Mapped[list[ItemColourRow]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ItemColourRow.rank"
    )
    tags: Mapped[list[ItemTagRow]] = relationship(
        back_populates="item", cascade="all, delete-orphan", order_by="ItemTagRow.tag", lazy="selectin"
    )


class ItemTagRow(Base):
    """One free tag the user gave an item ("gift", "wedding", "needs ironing")."""

    __tablename__ = "item_tags"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)

    item: Mapped[ItemRow] = relationship(back_populates="tags")


class ItemColourRow(Base):
    """One dominant colour of an item, by rank (0 = most of the garment)."""

    __tablename__ = "item_colours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))
    hex: Mapped[str] = mapped_column(String(7))
    hue: Mapped[float] = mapped_column(Float)
    saturation: Mapped[float] = mapped_column(Float)
    value: Mapped[float] = mapped_column(Float)
    share: Mapped[float] = mapped_column(Float)

    item: Mapped[ItemRow] = relationship(back_populates="colours")


class ItemFeatureRow(Base):
    """A float32 vector describing an item (CNN embedding, colour histogram), never pickled."""

    __tablename__ = "item_features"
    __table_args__ = (UniqueConstraint("item_id", "kind", name="uq_item_features_item_kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # "cnn", "colour_hist"
    version: Mapped[str] = mapped_column(String(100))  # e.g. the classifier version
    dim: Mapped[int] = mapped_column(Integer)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32 little-endian


class OutfitRow(Base):
    """An outfit that was shown, rated or worn: one item per slot."""

    __tablename__ = "outfits"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids never reused

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)  # "top|middle|bottom|full" ids
    top_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    middle_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    bottom_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    full_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class FeedbackRow(Base):
    """The ranking table: one like, dislike or 'wore it' for an outfit and occasion."""

    __tablename__ = "feedback"
    __table_args__ = ({"sqlite_autoincrement": True},)  # ids never reused (the ranker counts from the last one)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outfit_id: Mapped[int] = mapped_column(ForeignKey("outfits.id", ondelete="CASCADE"), index=True)
    occasion: Mapped[str] = mapped_column(String(30), index=True)
    rating: Mapped[float] = mapped_column(Float)  # 1.0 like / wore, 0.0 dislike
    source: Mapped[str] = mapped_column(String(20))  # "like" | "dislike" | "wore"
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    #: Rated on the board's exploration card (a random outfit): recalibrates the shown chance, not the taste
    explore: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class RankerVersionRow(Base):
    """A personal ranker trained from the user's ratings (weights live in the data dir)."""

    __tablename__ = "ranker_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    path: Mapped[str] = mapped_column(Text)  # relative to the data dir
    trained_at: Mapped[datetime] = mapped_column(DateTime)
    n_ratings: Mapped[int] = mapped_column(Integer)
    last_feedback_id: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    metrics_json: Mapped[str | None] = mapped_column(Text)


class WearEntryRow(Base):
    """One day of the wear diary: an outfit worn (or planned) on a date for an occasion."""

    __tablename__ = "wear_entries"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    occasion: Mapped[str] = mapped_column(String(30))
    kind: Mapped[str] = mapped_column(String(10), index=True)  # "worn" | "planned"
    created_at: Mapped[datetime] = mapped_column(DateTime)

    items: Mapped[list[WearEntryItemRow]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="WearEntryItemRow.position"
    )


class WearEntryItemRow(Base):
    """An item of a diary entry (removing the item removes it from the entry)."""

    __tablename__ = "wear_entry_items"

    entry_id: Mapped[int] = mapped_column(ForeignKey("wear_entries.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer)

    entry: Mapped[WearEntryRow] = relationship(back_populates="items")


class LaundryRuleRow(Base):
    """The user's rule: an item of this category goes to the laundry after this many wears."""

    __tablename__ = "laundry_rules"

    category: Mapped[str] = mapped_column(String(50), primary_key=True)
    wears: Mapped[int] = mapped_column(Integer)


class CleanoutDismissalRow(Base):
    """An item the user kept although clean-out suggested letting it go: it is not suggested again."""

    __tablename__ = "cleanout_dismissals"

    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    dismissed_at: Mapped[datetime] = mapped_column(DateTime)
