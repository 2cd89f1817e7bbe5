"""Trigger words per fact type and the cue words that pick a subtype, as compiled regexes.

Kept apart from the slot-filling code so that tuning a word list never touches control flow. Every
pattern is compiled once, by `Lexicons()` in the extractor's constructor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Verb stems that hand money over ("will provide 70 billion yen to ...", "allocated ... for ..."): one list
# for the investment trigger, the beneficiary slot and the unknown-name finder, each adding its own few.
HANDOVER_VERBS = r"provid|commit|pledg|allocat|earmark|dedicat|inject|extend|lend|disburs|channel"


def _rx(source: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile(source, flags)


@dataclass
class Lexicons:
    investment: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:rais(?:e|es|ed|ing)|funding|funded|fund(?:s|ers?)?\b|invest(?:s|ed|ing|ment|ments|or|ors)?|"
            r"back(?:s|ed|ing)\b|backers?|commit(?:s|ted|ting|ment|ments)?|pledg(?:e|es|ed|ing)|"
            r"round|series\s+[a-j]\b|seed|stake|acqui(?:re|res|red|ring|sition)|buy(?:s|ing)?\s+out|to\s+buy|"
            r"buy(?:s|ing)\b|bought|purchas(?:e|es|ed|ing)|takeover|spend(?:s)?\b|award(?:s|ed)?\b|"
            r"pull(?:s|ed)\s+in|brought\s+in|receiv(?:e|es|ed|ing)\b|picked\s+up|will\s+buy|secur(?:ed|es|ing)|putting|pour(?:s|ed|ing)|bid\s+for|to\s+sell|will\s+sell|"
            r"(?:approv|announc|unveil)\w*\s+(?:[\w-]+\s+){0,4}worth\s|"
            r"(?:announc|promis|unveil|approv|sanction|commit|earmark|pledg|award)\w*\s+(?:a\s+|an\s+)?"
            r"(?:additional\s+|further\s+|new\s+)?(?:about\s+|up\s+to\s+|more\s+than\s+|nearly\s+|almost\s+)?"
            r"(?:[A-Z]{1,3})?[$€£¥₹₩]|(?:announc|promis|unveil|approv|sanction|commit|earmark|pledg|award)\w*\s+"
            r"(?:about\s+|up\s+to\s+|more\s+than\s+)?(?:Rs\.?|INR)\s?\d|seek(?:s|ing)\s+[$€£¥₹₩]|"
            r"budget|outlay|allocat(?:e|es|ed|ing|ion)|programme|program|package|subsid(?:y|ies|ise|ize)|"
            r"joint\s+venture|capital\s+injection|financing|grant(?:s)?\b|spending|to\s+spend|earmark\w*|"
            r"provid(?:e|es|ed|ing)\s+(?:more\s+than\s+|about\s+|up\s+to\s+)?[$€£¥₹₩]|in\s+support\s+for|"
            # A verb that moves money, then an amount however it is written ("will provide 70 billion
            # yen", "is setting aside $2.4 billion", "dedicated another C$700 million"); the amount
            # itself is checked by the money parser.
            rf"(?:{HANDOVER_VERBS}|lent\b|plough|plow|set(?:ting|s)?\s+aside|sets\s+aside)\w*\s+"
            r"(?:an?\s+|another\s+)?"
            r"(?:additional\s+|further\s+|new\s+|extra\s+)?"
            r"(?:about\s+|around\s+|up\s+to\s+|more\s+than\s+|over\s+|nearly\s+|almost\s+|some\s+)?"
            r"(?:[A-Z]{1,3}\$?|Rs\.?\s?)?[$€£¥₹₩]?\d)"
        )
    )
    alliance: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:allian(?:ce|ces)|partnership|partner(?:ed|ing|s)?\s+(?:with|on)|teamed\s+up|team\s+up|pact|"
            r"joint\s+ventures?|join(?:s|ed|ing)?\s+forces|letters?\s+of\s+intent|(?:agreement|accord|understanding)\s+between|"
            r"found(?:ing|ational)\s+partners?|partners\s+(?:including|such\s+as)|"
            r"memorandum\s+of\s+understanding|Memorandum\s+of\s+Understanding|MoUs?\b|declaration|joint\s+statement|collaborat(?:e|es|ed|ion|ing)|cooperat(?:e|ion)|"
            r"co-operation|consortium|coalition|accords?\b|forum\b|initiative\s+(?:between|with|on)|"
            r"signatories|signatory|endorsed\s+by|agreed\s+to\s+(?:cooperate|work\s+together)|"
            r"strategic\s+(?:agreement|partnership|dialogue)|work(?:ing)?\s+together|jointly|co-develop\w*|"
            r"together\b|network\s+of|framework\s+agreement|develop(?:ing|s|ed)?\s+(?:[\w-]+\s+){1,4}with\b|"
            r"sign(?:ed|s)?\s+(?:a|an)\s+(?:[\w-]+\s+){0,4}(?:agreement|deal|framework|accord|statement)|"
            r"sign(?:ed|s)?\s+the\s+[“\"]?(?:[\w-]+\s+){0,6}(?:Convention|Treaty|Charter|Accord)\b|"
            r"endorsed\s+(?:a|the)\s+(?:call|declaration|statement|pledge|commitment)|"
            # "A will be pairing up with B", "A joined hands with B": idioms of the same act.
            r"pair(?:s|ed|ing)?\s+up\s+with|join(?:s|ed|ing)?\s+hands\s+with)"
        )
    )
    incident: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:leak(?:s|ed|ing)?|breach(?:es|ed)?|exposed|exposure|hack(?:s|ed|ers?)?|probe[sd]?|probing|"
            r"investigat(?:e|es|ed|ing|ion|ions)|inquiry|inquiries|(?:merger|antitrust|formal|its|a|the)\s+review|"
            r"review(?:ing|ed)?\s+(?:of\s+)?(?:the|its|whether)|lawsuit|su(?:e|es|ed|ing)\b|"
            r"complaint|fine[sd]?\b|fining|penalt(?:y|ies)|ban(?:s|ned|ning)?\b|restrict(?:s|ed|ing|ion|ions)?|"
            r"block(?:s|ed|ing)?\b|deepfakes?|fraud\w*|scam\w*|impersonat\w*|robocalls?|battlefield|"
            r"weapons?|targeting|targets|drones?|entity\s+list|blacklist|tribunal|court|ruling|crash\w*|"
            r"misus\w*|disinformation|ordered\b|(?<!in\s)(?<!executive\s)orders?\s+(?:to|that|under|requiring)\b|"
            r"issued\s+(?:\w+\s+)?orders\b|bug\b|glitch\w*|require\s+a\s+licen[cs]e|"
            r"licen[cs]e\s+requirements?|stop\s+processing|limitation|scrutin\w+|checking\s+whether|"
            r"examining\s+whether|looking\s+into|opened\s+an?\s+(?:investigation|inquiry|probe)|"
            r"invit\w+\s+comments?|call\s+for\s+evidence|merger\s+(?:situation|inquiry|review|control)|"
            r"objections?|violat\w+|enforcement\s+(?:notice|action)|wrote\s+to|arrest\w*|paused|"
            r"inaccurate|AI-generated\s+(?:images|videos?|audio|voices?)|"
            r"suspen(?:d|ds|ded|ding|sion)\s+(?:of\s+)?(?:[\w’'-]+\s+){0,3}(?:permits?|licen[cs]es?|downloads?|"
            r"operations?|services?|apps?|sales|accounts?|processing)\b|"
            r"proceedings|forfeiture|publicly\s+accessible|unsecured|collided|collisions?|smuggl\w+|"
            r"(?:hit|struck|hitting|striking)\s+(?:and\s+\w+\s+)?a\s+pedestrian|under\s+review|"
            r"cleared\s+(?:\w+\s+){0,3}(?:deal|merger|acquisition|takeover|partnership|investment)|"
            r"authori[sz]ed\s+(?:the\s+)?exports?|export\s+licen[cs]es?|"
            r"(?:is|are|was|were)\s+(?:now\s+|also\s+)?(?:examining|reviewing|probing)|legal\s+action|"
            r"trial\s+against|charg(?:es|ed)\s+(?:\w+\s+){0,4}(?:with|for|against|over)\b|"
            # "the agency took action against two advisers": an enforcement step (see incidents.py).
            r"(?:took|taken|take|takes|taking|brought|brings|announced)\s+(?:[\w-]+\s+){0,2}?actions?\s+against|"
            # "plans to greenlight sales of AI chips to Acme": an export approval (see incidents.py).
            r"(?:approv(?:e|es|ed|ing)|green-?light(?:s|ed|ing)?)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
            r"(?:sales?|exports?|shipments?)\s+of)"
        )
    )
    policy: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:act|law|laws|regulation|regulations|executive\s+order|E\.?O\.?\s+\d{5}|strategy|guidance|"
            r"guidelines|framework|measures|provisions|directive|bill|export\s+controls?|export-control|"
            r"convention|treaty|code\s+of\s+(?:conduct|practice)|principles|declaration|action\s+plan|rule|rules|"
            r"mission|plan|roadmap|statement|memorandum|blueprint|white\s+paper|standard|(?:AB|SB|HB)\s?\d{1,5}|"
            r"(?:banned|restricted|curbed|authori[sz]ed|permitted|allowed)\s+(?:the\s+)?(?:exports?|sales)\s+of|ruled|"
            r"(?:blocked|barred|banned|prohibited)\s+(?:[\w-]+\s+){1,3}?(?:companies|firms|entities|buyers)\s+from|"
            r"initiative|National\s+(?:AI\s+)?Program(?:me)?)\b"
        )
    )

    # Subtype cues.
    acquisition: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:acqui(?:re|res|red|ring|sition)|buy(?:s|ing)?\s+out|takeover|bought)\b"
        )
    )
    private_round: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:series\s+[a-j]|seed|pre-seed|funding\s+round|round|valuation|valued|rais(?:e|es|ed|ing)|"
            r"investors?|backers?|venture)\b"
        )
    )
    government_cue: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:government|cabinet|ministry|minister|national|state-backed|public\s+funds?|budget|"
            r"outlay|mission|subsid(?:y|ies)|package|taxpayer|sovereign|president|prime\s+minister)\b"
        )
    )
    public_private_cue: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:public-private|public\s+and\s+private|private\s+sector|private\s+investment)\b"
        )
    )
    round_type: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:(?P<series>series\s+(?P<letter>[a-j]))\b|(?P<preseed>pre-seed)|(?P<seed>seed)\s+(?:round|funding)|"
            r"(?P<debt>debt|credit\s+facility|loan|convertible\s+notes?|bonds?)|(?P<grant>grants?)\b)"
        )
    )

    # Incident subtypes, in priority order.
    model_leak: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:model|weights|LLaMA|Llama)\b[^.]{0,60}\bleak|\bleak\w*[^.]{0,40}\b(?:model|weights)\b"
        )
    )
    data_breach: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:data\s+breach|security\s+breach|breach\s+of\s+(?:\w+\s+)?data|breached\s+(?:its\s+|the\s+)?"
            r"(?:systems?|database|servers?|network)|exposed|exposure|hack(?:ed)?|leak(?:ed)?\s+(?:data|chat|user)|"
            r"leaked\s+(?:\w+\s+){0,2}(?:source\s+)?code|publicly\s+accessible|unsecured|bug\s+exposed|"
            r"chat\s+titles|chat\s+histor(?:y|ies)|payment\s+information|users?\s+to\s+see|"
            r"left\s+(?:an?\s+|the\s+|its\s+)?(?:\w+\s+)?(?:database|server|bucket))\b"
        )
    )
    litigation: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:lawsuit|su(?:e|es|ed|ing)\b|class\s+action|court\b|tribunal|judge|legal\s+action|"
            r"copyright\s+infringement|plaintiffs?|defendants?|filed\s+(?:a\s+)?(?:suit|complaint|claim)|"
            r"trial\s+against)"
        )
    )
    military: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:battlefield|weapons?|targeting|targets\b|drones?|armed\s+forces|war\b|"
            r"air\s*strikes?|airstrikes?|combat|lethal|warfare|military\s+operations?)"
        )
    )
    military_action: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:deploy\w*|used\s+by|(?:is|are|was|were|been|it|they|has|have)\s+(?:\w+\s+)?us(?:ed|ing|es)|"
            r"field(?:s|ed|ing)|identif\w+\s+(?:\w+\s+){0,3}(?:as\s+)?targets|generate\w*\s+targets|"
            r"battlefield\s+management|targeting\s+system)\b"
        )
    )
    export_control: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:entity\s+list|export\s+controls?|export-control|trade\s+blacklist|blacklist\w*|"
            r"exports?\s+of\s+(?:its\s+)?[\w-]+(?:\s+[\w-]+){0,5}\s+(?:to\s+China\s+)?(?:now\s+)?"
            r"requires?\s+a\s+licen[cs]e|smuggl\w+|authori[sz]ed\s+(?:the\s+)?exports?|export\s+licen[cs]es?|"
            r"charg(?:es|ed)\b[^.;]{0,120}\bexport(?:s|ed|ing)?\b)\b"
        )
    )
    misuse: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:deepfakes?|deep-fake|fraud\w*|scam\w*|impersonat\w*|robocalls?|disinformation|"
            r"voice\s+clon\w*|fake\s+video|manipulat\w+|fake\s+news|explicit\s+AI-generated|cyber-?attacks?|"
            r"phishing|malware|"
            r"(?:sexually\s+)?explicit\s+(?:deep)?fake)\b"
        )
    )
    regulatory: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:probe[sd]?|investigat\w+|inquiry|inquiries|(?:merger|antitrust|formal|its|a|the)\s+review|"
            r"review(?:ing|ed)?\s+(?:of\s+)?(?:the|its|whether)|fine[sd]?\b|fining|penalt\w+|"
            r"ban(?:s|ned)?\b|block(?:s|ed)?\b|restrict\w*|order(?:s|ed)?\b|limitation|stop\s+processing|"
            r"scrutin\w+|call\s+for\s+evidence|invitation\s+to\s+comment|6\(b\)|enforcement|checking\s+whether|"
            r"examining\s+whether|looking\s+into|invit\w+\s+comments?|merger\s+situation|objections?|violat\w+|"
            r"breach(?:es|ed)?\s+(?:\w+\s+){0,3}(?:rules|laws?|regulations?)|enforcement\s+notice|wrote\s+to|"
            r"suspen(?:d|ds|ded|ding|sion)\s+(?:of\s+)?(?:[\w’'-]+\s+){0,3}(?:permits?|licen[cs]es?|downloads?|"
            r"operations?|services?|apps?|sales|accounts?|processing)\b|proceedings|forfeiture|under\s+review|"
            r"cleared\s+(?:\w+\s+){0,3}(?:deal|merger|acquisition|takeover|partnership|investment)|"
            r"(?:is|are|was|were)\s+(?:now\s+|also\s+)?(?:examining|reviewing|probing|evaluating\s+the\s+safety))"
        )
    )
    safety_failure: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:crash\w*|malfunction\w*|hallucinat\w*|misled|misleading\s+(?:advice|answer)|wrong\s+advice|"
            r"autopilot|safety\s+(?:failure|defect|recall)|recall|inaccurate|offensive\s+(?:images|answers|content)|"
            r"collided|collisions?|(?:hit|struck|hitting|striking)\s+(?:and\s+\w+\s+)?a\s+pedestrian)\b"
        )
    )

    # Policy cues.
    policy_name: re.Pattern[str] = field(
        default_factory=lambda: re.compile(
            r"(?P<name>(?:(?:the|The)\s+)?(?:[A-Z][\w'’.&-]*\s+|(?:and|on|of|for|the|in|to)\s+){0,8}?"
            r"(?:Act|Law|Regulation|Directive|Strategy|Framework|Guidelines|Measures|Provisions|Convention|"
            r"Treaty|Code\s+of\s+(?:Conduct|Practice)|Principles|Action\s+Plan|Plan|Bill|Mission|Order|Rule|Roadmap|Guide|"
            r"Memorandum|Blueprint|Scheme|Programme|Program|Initiative|White\s+Paper|Standard|Fund)"
            r"(?:\s+(?:(?:for|on|of|and|to|in)\s+(?:the\s+|an?\s+)?)(?:[A-Z][\w'’-]*|AI)(?:\s+(?:and\s+|of\s+|for\s+|"
            r"the\s+|in\s+|by\s+)*(?:[A-Z][\w'’-]*|AI))*)?(?:,?\s+(?:No\.\s*)?[A-Z]?-?\d[\w./-]*)?)(?![\w-])"
        )
    )
    eo_number: re.Pattern[str] = field(
        default_factory=lambda: re.compile(
            r"\b(?:Executive\s+Order|executive\s+order|E\.?O\.?)\s+(?:No\.\s*)?(?P<n>1\d{4})\b"
        )
    )
    celex: re.Pattern[str] = field(
        default_factory=lambda: re.compile(
            r"\b(?:CELEX(?:\s+number)?:?\s*(?P<celex>[0-9]{5}[A-Z][0-9]{4})|"
            r"(?P<type>Regulation|Directive|Decision)\s+\(EU(?:,\s*Euratom)?\)\s+(?:No\s+)?(?P<year>\d{4})/(?P<num>\d{1,4}))"
        )
    )
    fr_document: re.Pattern[str] = field(
        default_factory=lambda: re.compile(
            r"\b(?:[Dd]ocument\s+(?:number\s+|No\.\s*)?|FR\s+Doc\.?\s*)(?P<fr>20\d\d-\d{5})\b"
        )
    )
    incident_event: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:opened|launched|began|started|fined|ordered|orders|blocked|banned|added|adds|sued|filed|"
            r"leaked|exposed|breached|hacked|deploy(?:ed|ing|s)|used|using|uses|imposed|proposed|announced|"
            r"restricted|said|found|confirmed|reported|investigat(?:es|ed|ing)|probing|examining|checking|"
            r"scrutinis\w+|scrutiniz\w+|concluded|ended|cleared|denied|ruled|suing|sues|accus\w+|alleg\w+|"
            r"lost|tricked|defrauded|shared|published|discovered|invited|gathering|targeted|struck|crashed|"
            r"concluded|cleared|"
            r"took|allowed|told|informed|requires?|issued|sent|uploaded|"
            r"impersonat\w+|cloned|warned|suspended|halted|disabled|raided|placed|blacklisted|imposing|"
            r"is\s+investigating|are\s+investigating|notified|raised|wrote|arrested|paused|spread|produced|"
            r"suspend(?:s|ed)?|suspension|revealed|left|collided|hit|charged|authori[sz]ed|approved|"
            r"launch(?:es)?\s+(?:\w+\s+){0,2}(?:proceedings|probe|investigation|inquiry)|"
            r"remains|(?:law)?suit\s+against|file\s+(?:a\s+)?(?:lawsuit|suit|complaint)|scammed|duped|swindled|"
            r"(?:weigh\w*|consider\w*|threaten\w*|pursu\w+|tak(?:e|es|ing))\s+legal\s+action|trial\s+against)\b"
        )
    )
    status_revoked: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:revok\w+|revocation|rescind\w*|rescission|repeal\w*|overturn\w*|scrapp\w+|withdr[ae]w\w*|"
            r"cancel(?:s|led|ed|ling|ing)?)\b"
        )
    )
    status_in_force: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:entered\s+into\s+force|enters\s+into\s+force|came\s+into\s+force|in\s+force|took\s+effect|"
            r"takes\s+effect|came\s+into\s+effect|effective\s+(?:from|on|as\s+of)|now\s+applies|began\s+to\s+apply|"
            r"(?:began|started)\s+(?:enforcing|to\s+enforce))\b"
        )
    )
    status_adopted: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:adopt\w*|approv\w*|pass(?:ed|es)|sign(?:ed|s|ing)|enact\w*|issu(?:ed|es|ing)|published|"
            r"agreed|endorsed|unveil\w*|launch\w*|released|announced|promulgat\w+|opened\s+for\s+signature|finali[sz]ed|"
            r"rolled\s+out|put(?:s|ting)?\s+forth|passage\s+of|voted\s+through|"
            r"(?:banned|restricted|curbed|authori[sz]ed|permitted|allowed)\s+(?:the\s+)?(?:exports?|sales)\s+of|ruled|"
            r"introduced\s+(?:a|the)\s+(?:new\s+)?rules?)\b"
        )
    )
    status_proposed: re.Pattern[str] = field(
        default_factory=lambda: _rx(
            r"\b(?:propos\w+|draft\w*|consultation|consult(?:s|ing)\s+(?:[\w-]+\s+){0,4}?on|tabled\s+(?:a\s+|the\s+)?(?:[Bb]ill|legislation)|bill\b|introduc\w+\s+(?:a\s+)?bill|under\s+discussion|"
            r"would\s+require|plans?\s+to\s+(?:introduce|adopt|issue)|(?:provisional|political)\s+(?:agreement|deal)|"
            r"(?:consider|weigh|mull)\w*\s+(?:an?\s+)?(?:pause|delay|suspension|postponement|pausing|delaying|"
            r"suspending|postponing))\b"
        )
    )
    instrument_cues: tuple[tuple[str, re.Pattern[str]], ...] = field(
        default_factory=lambda: (
            ("executive_order", _rx(r"\bexecutive\s+order|\bE\.?O\.?\s+1\d{4}")),
            (
                "export_control",
                _rx(
                    r"\bexport[\s-]controls?|\bentity\s+list|\bdiffusion\s+rule|"
                    r"\bexport\s+(?:rules|restrictions|curbs|bans?)|\b(?:exports?|sales)\s+of\b"
                ),
            ),
            (
                "international_agreement",
                _rx(r"\b(?:convention|treaty|declaration|international\s+agreement|accord)\b"),
            ),
            (
                "national_strategy",
                _rx(
                    r"\b(?:national\s+(?:ai\s+)?strategy|strategy|action\s+plan|development\s+plan|"
                    r"coordinated\s+plan|roadmap|security\s+memorandum)\b"
                ),
            ),
            ("funding_programme", _rx(r"\b(?:mission|programme|program|fund|funding\s+scheme)\b")),
            (
                "guidance",
                _rx(
                    r"\b(?:guidance|guidelines|guide|code\s+of\s+(?:conduct|practice)|principles|voluntary|commitments|"
                    r"framework|blueprint|memorandum|white\s+paper|standard)\b"
                ),
            ),
            ("regulation", _rx(r"\b(?:regulations?|measures|provisions|rules?|directive|ruled|ruling)\b")),
            ("law", _rx(r"\b(?:act|law|bill|statute|legislation)\b")),
        )
    )

    # Alliance role and focus cues.
    founding: re.Pattern[str] = field(
        default_factory=lambda: _rx(r"\bfound(?:ing|ed|ers?)\b|\blaunch(?:ed|es)?\b|\bformed\b")
    )
    signatory: re.Pattern[str] = field(
        default_factory=lambda: _rx(r"\bsign(?:ed|atories|atory|ing)\b|\bendorsed\b")
    )
    host: re.Pattern[str] = field(default_factory=lambda: _rx(r"\bhost(?:ed|s|ing)?\b"))
    focus_areas: tuple[tuple[str, re.Pattern[str]], ...] = field(
        default_factory=lambda: (
            ("chips", _rx(r"\b(?:chips?|semiconductors?|microchips?)\b")),
            ("quantum computing", _rx(r"\bquantum\b")),
            (
                "AI safety",
                _rx(r"\b(?:ai\s+safety|safety|safe\b|frontier\s+ai\s+risks?|risks?\s+of\s+frontier)"),
            ),
            ("open source", _rx(r"\bopen[\s-]source|\bopen\s+(?:models|science|innovation)\b")),
            ("research", _rx(r"\bresearch\b|\br&d\b")),
            (
                "compute",
                _rx(
                    r"\b(?:compute|computing\s+(?:infrastructure|capacity|power)|data\s+cent(?:re|er)s?|supercomput\w+|cloud)\b"
                ),
            ),
            ("defence", _rx(r"\b(?:defen[cs]e|military|security\s+cooperation)\b")),
            ("telecommunications", _rx(r"\b(?:telecom\w*|wireless|5g|6g)\b")),
            ("space", _rx(r"\bspace\b")),
            ("talent", _rx(r"\b(?:talent|skills|education|training\s+of)\b")),
            ("supply chains", _rx(r"\bsupply\s+chains?\b")),
            ("standards", _rx(r"\bstandards?\b|\bevaluations?\b|\btesting\b")),
            ("governance", _rx(r"\bgovernance\b|\bhuman\s+rights\b|\brule\s+of\s+law\b")),
        )
    )
