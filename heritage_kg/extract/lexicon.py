"""Word lists the extractor reads by: damage triggers, heritage nouns, actor descriptions, hedges.

They name kinds of words, never one article's phrases: a new list entry must make sense for any news.
"""

# Verb lemma -> event type. Particles refine some: "blow up", "tear down", "burn down".
DAMAGE_VERBS = {
    "destroy": "destroyed", "raze": "destroyed", "demolish": "destroyed", "level": "destroyed",
    "flatten": "destroyed", "bulldoze": "destroyed", "obliterate": "destroyed", "dynamite": "destroyed",
    "pulverise": "destroyed", "pulverize": "destroyed", "erase": "destroyed", "topple": "destroyed",
    "smash": "destroyed", "collapse": "destroyed", "annihilate": "destroyed", "wreck": "destroyed",
    "damage": "damaged", "hit": "damaged", "shell": "damaged", "bomb": "damaged", "strike": "damaged",
    "deface": "damaged", "char": "damaged", "vandalise": "damaged", "vandalize": "damaged", "desecrate": "damaged",
    "burn": "damaged", "torch": "damaged", "scar": "damaged", "crack": "damaged", "harm": "damaged",
    "loot": "looted", "plunder": "looted", "pillage": "looted", "steal": "looted", "ransack": "looted",
    "rob": "looted", "smuggle": "looted", "attack": "damaged", "remove": "looted",
    "threaten": "threatened", "endanger": "threatened", "imperil": "threatened",
    "restore": "restored", "rebuild": "restored", "reconstruct": "restored", "repair": "restored",
    "renovate": "restored", "rehabilitate": "restored",
    # past participles the lemmatizer sometimes leaves as they are
    "rebuilt": "restored", "razed": "destroyed", "looted": "looted", "bulldozed": "destroyed",
}
# (verb lemma, particle) pairs that change or create a meaning.
PHRASAL_DAMAGE = {("blow", "up"): "destroyed", ("tear", "down"): "destroyed", ("burn", "down"): "destroyed",
                  ("pull", "down"): "destroyed", ("knock", "down"): "destroyed"}
DAMAGE_NOUNS = {
    "destruction": "destroyed", "demolition": "destroyed", "razing": "destroyed",
    "damage": "damaged", "desecration": "damaged", "vandalism": "damaged", "shelling": "damaged",
    "looting": "looted", "plunder": "looted", "pillage": "looted", "theft": "looted", "plundering": "looted",
    "restoration": "restored", "reconstruction": "restored", "rebuilding": "restored",
}
# "partially destroyed" is damage, not destruction.
PARTIAL_ADVERBS = {"partially", "partly", "slightly", "somewhat", "badly", "heavily", "severely", "seriously"}

# Governing verbs: "threatened to destroy" is a threat; "tried to destroy" did not happen (yet).
THREAT_GOVERNORS = {"threaten", "vow", "pledge", "promise", "plan", "intend", "announce", "order", "aim"}
NON_EVENT_GOVERNORS = {"seek", "try", "attempt", "want", "aim", "hope", "expect", "fail", "prevent",
                       "stop", "avoid", "refuse", "could", "would", "need", "urge", "ask", "call"}
HEDGE_GOVERNORS = {"appear": "appeared to", "seem": "seemed to", "believe": "believed to",
                   "report": "reported to", "say": "said to", "allege": "alleged to", "claim": "claimed to"}
MODAL_AUX = {"will", "would", "could", "may", "might", "should", "must", "can", "shall", "'ll", "wo", "ca"}
# Looting seen as digging: "holes dug by looters", "illegal excavations at the site".
DIGGING_VERBS = {"dig", "excavate", "bulldoze"}
DIGGING_NOUNS = {"digging", "excavation", "excavations"}
# Explosives laid at a monument threaten it.
EXPLOSIVE_VERBS = {"plant", "rig", "lay", "mine", "booby-trap", "wire"}
EXPLOSIVE_NOUNS = {"explosive", "explosives", "mine", "mines", "bomb", "bombs", "charge", "charges", "ied", "ieds",
                   "dynamite", "tnt"}
# A report the text calls untrue is no event: "officials denied reports that ...".
REPORT_NOUNS = {"report", "claim", "rumour", "rumor", "allegation", "account", "story"}
DENYING_VERBS = {"deny", "reject", "dismiss", "refute", "debunk"}
UNTRUE_WORDS = {"untrue", "false", "baseless", "unfounded", "wrong", "inaccurate", "fabricated", "fake"}
THREAT_NOUNS = {"fear", "fears", "risk", "threat", "threats", "danger"}

CONTROL_GAIN_VERBS = {"capture", "recapture", "seize", "retake", "take", "overrun", "regain", "liberate",
                      "occupy", "conquer", "reoccupy", "win", "storm"}
RETAKING_VERBS = {"recapture", "retake", "regain", "reoccupy", "win", "liberate"}
CONTROL_LOSS_VERBS = {"lose"}
CONTROL_FALL_VERBS = {"fall"}
CONTROL_EXPEL_VERBS = {"drive", "expel", "oust", "push", "rout"}

SPEECH_VERBS = {"say", "tell", "report", "announce", "state", "claim", "deny", "confirm", "condemn",
                "denounce", "describe", "call", "accuse", "blame", "warn", "add", "verify", "document",
                "estimate", "insist", "allege", "declare"}
CHARACTERISING_VERBS = {"condemn", "denounce", "describe", "call", "brand", "label"}
REPORTING_VERBS = {"say", "report", "announce", "claim", "confirm", "state", "tell", "allege", "document"}

HERITAGE_NOUNS = {
    "temple", "theatre", "theater", "amphitheatre", "amphitheater", "arch", "tetrapylon", "mosque",
    "church", "cathedral", "chapel", "monastery", "convent", "shrine", "tomb", "mausoleum", "museum",
    "library", "archive", "citadel", "castle", "fortress", "fort", "palace", "minaret", "statue",
    "sculpture", "bust", "relief", "monument", "ruin", "ruins", "colonnade", "gate", "gateway",
    "synagogue", "sanctuary", "madrasa", "madrassa", "souk", "bazaar", "caravanserai", "hammam",
    "mosaic", "manuscript", "artefact", "artifact", "antiquity", "buddha", "idol", "necropolis",
    "cemetery", "agora", "forum", "basilica", "mural", "fresco", "frieze", "lamassu", "colossus",
    "ziggurat", "pyramid", "obelisk", "stele", "icon", "tetrapylum", "bridge", "tower", "mound", "tell",
    "collection", "site", "city", "heritage", "landmark", "sculptures", "carving", "altar", "portico",
    "relic", "bell", "painting", "building", "house",
}
# Movable things: what they name is a heritage object, not a monument.
OBJECT_NOUNS = {"statue", "sculpture", "bust", "manuscript", "artefact", "artifact", "antiquity", "icon", "idol",
                "relic", "mosaic", "collection", "tablet", "coin", "bell", "painting"}
# Nouns that name a heritage asset only with a proper name or a heritage modifier ("Old City", "Bridge of X").
WEAK_HERITAGE_NOUNS = {"bridge", "tower", "mound", "tell", "collection", "site", "city", "heritage", "gate",
                       "landmark", "building", "house"}
# Words for heritage in general: "monuments in Palmyra" names no particular monuments.
CLASS_NOUNS = {"monument", "monuments", "site", "sites", "building", "buildings", "structure", "structures",
               "landmark", "landmarks", "heritage", "ruin", "ruins", "treasure", "treasures", "property",
               "antiquity", "antiquities", "remains"}
PART_NOUNS = {"window", "windows", "facade", "façade", "front", "minaret", "dome", "gate", "wall", "walls", "roof",
              "tower",
              "column", "columns", "portico", "entrance", "courtyard", "interior", "head", "face",
              "cella", "altar", "nave", "spire", "belfry", "pillar", "pillars", "colonnade", "archway"}
# Adjectives that describe rather than name: dropped from a minted name.
DESCRIPTIVE_WORDS = {"landmark", "ancient", "historic", "historical", "famous", "iconic", "celebrated",
                     "renowned", "beautiful", "old", "centuries-old", "magnificent", "majestic", "revered",
                     "venerated", "precious", "priceless", "important", "unique", "oldest", "famed", "valuable",
                     "rare", "irreplaceable", "treasured", "invaluable", "ultra-conservative", "conservative",
                     "ultraconservative", "so-called", "ultra"}
# Words of an age or period, not of a name: "a 1,800-year-old arch", "the 15th-Century scholar".
AGE_WORDS = {"year", "-year", "years", "old", "century", "centuries", "-century", "ad", "bc", "bce", "ce",
             "millennium", "millennia"}
# Words of a heritage designation, not of a name: "the UNESCO World Heritage site".
DESIGNATION_WORDS = {"unesco", "world", "heritage", "site", "listed", "unesco-listed", "un", "-"}
# Words of a count, not of a name: "at least seven tombs".
QUANTITY_WORDS = {"least", "at", "some", "several", "more", "than", "about", "around", "nearly", "over", "dozens",
                  "hundreds", "thousands", "other", "many", "few", "all", "both"}
SITE_DESCRIPTORS = {"site", "city", "town", "ruins", "complex"}

# Description of an actor -> the kinds of named actor it can point back to, in order of preference.
ACTOR_DESCRIPTORS = {
    "group": ("ArmedGroup",), "militant": ("ArmedGroup",), "jihadist": ("ArmedGroup",),
    "extremist": ("ArmedGroup",), "insurgent": ("ArmedGroup",), "terrorist": ("ArmedGroup",),
    "fighter": ("ArmedGroup", "ArmedForces"), "gunman": ("ArmedGroup",), "rebel": ("ArmedGroup",),
    "army": ("ArmedForces", "State"), "military": ("ArmedForces", "State"), "troop": ("ArmedForces", "State"),
    "soldier": ("ArmedForces", "State"), "force": ("ArmedForces", "State", "ArmedGroup"),
    "government": ("State", "ArmedForces"), "regime": ("State", "ArmedForces"),
    "authority": ("State",), "authorities": ("State",),
    "fundamentalist": ("ArmedGroup",), "islamist": ("ArmedGroup",), "hardliner": ("ArmedGroup",),
    "salafist": ("ArmedGroup",), "salafi": ("ArmedGroup",), "radical": ("ArmedGroup",),
}
# Descriptions of a state's own institutions: with no earlier antecedent, the article's country's.
NATIONAL_DESCRIPTORS = {"government", "regime", "army", "military", "authority", "authorities"}
# Descriptions of a non-state armed group, which may be named by their description alone.
GROUP_DESCRIPTORS = {"group", "militant", "jihadist", "extremist", "insurgent", "terrorist", "fighter", "gunman",
                     "rebel", "fundamentalist", "islamist", "hardliner", "salafist", "salafi", "radical"}
# People acting for a group: "members of the group", "fighters from Ansar Dine".
MEMBER_NOUNS = {"member", "fighter", "militant", "supporter", "loyalist", "unit", "commander", "leader",
                "soldier", "men", "man", "elements"}
# Adjectives that say what kind of group, not which: "the extremist group" is still the group named before.
GROUP_ADJECTIVES = {"extremist", "jihadist", "islamist", "militant", "radical", "armed", "terrorist", "terror",
                    "hardline", "insurgent", "sunni", "shia", "shiite", "islamic", "al-qaeda-linked", "linked"}
# Nouns under which a site or monument is named: "the ruins of the castle", "the city of Nimrud".
CONTAINER_NOUNS = {"ruin", "ruins", "remains", "site", "city", "town", "complex", "area", "grounds", "compound"}
PRONOUNS = {"it", "they", "its", "their", "them", "who", "which"}
# The means rather than the actor: "a Russian missile" is Russia, "fire" alone is nobody.
INSTRUMENT_NOUNS = {"missile", "rocket", "shell", "shelling", "airstrike", "strike", "bomb", "bombing",
                    "bombardment", "drone", "artillery", "jet", "warplane", "aircraft", "plane", "tank",
                    "mortar", "explosive", "explosion", "barrel", "attack", "raid", "fire", "gunfire",
                    "air", "ordnance", "grenade"}
SUPPORT_NOUNS = {"support", "backing", "help", "assistance", "cover", "aid"}

HEDGE_PATTERNS = (
    r"\breportedly\b", r"\ballegedly\b", r"\bapparently\b", r"\bpurportedly\b", r"\bpresumably\b",
    r"\b(?:could|can|was|were|has|have|had)\s+not\s+(?:be\s+)?(?:independently\s+)?(?:verif|confirm)\w*",
    r"\bcouldn't\s+(?:be\s+)?(?:independently\s+)?(?:verif|confirm)\w*",
    r"\bunable to (?:independently )?(?:verif|confirm)\w*",
    r"\bunverified\b", r"\bunconfirmed\b", r"\bappear(?:s|ed|ing)? to\b", r"\bseem(?:s|ed)? to\b",
    r"\b(?:is|are|was|were) (?:believed|thought|said|reported|alleged|understood) to\b", r"\bblamed on\b",
    r"\b(?:is|are|was|were|been) accused of\b",
    r"\baccording to (?:unconfirmed |unverified )?(?:reports|claims|rumou?rs)\b", r"\bclaimed to have\b",
)
DISPUTE_PATTERNS = (
    r"\bdenied\b", r"\bdenies\b", r"\bdisputed?\b", r"\bcontradict\w*\b",
    r"\brejected (?:the )?(?:claim|accusation)s?\b",
)
# Blame the sides trade about what the sentence reports: they bear on the whole sentence.
RECIPROCAL_BLAME_PATTERNS = (
    r"\bblam\w* (?:each other|one another|the other)\b", r"\btrad\w* (?:accusations|blame)\b",
    r"\baccus\w* (?:each other|one another|the other)\b", r"\beach (?:side|party) blamed\b",
)
# A follow-up sentence that doubts the previous one: "Reuters could not verify the footage."
DOUBTING_SENTENCE = r"\b(?:could|can|was|were)\s*(?:not|n't)\s+(?:be\s+)?(?:independently\s+)?(?:verif|confirm)\w*"
DOUBTED_THINGS = {"report", "reports", "claim", "claims", "video", "videos", "footage", "photo", "photos",
                  "image", "images", "picture", "pictures", "account", "accounts", "it", "this", "them"}
