"""Every user-visible UI string, in English and Hindi, so the kiosk can switch language in one place."""

from __future__ import annotations

from enum import StrEnum

from core.policy import Policy


class Lang(StrEnum):
    EN = "en"
    HI = "hi"


_EN: dict[str, str] = {
    "app.title": "QuickRupee Voice",
    "app.tagline": "Check your loan eligibility in three quick questions",
    "welcome.body": (
        "Answer three questions by speaking, or by typing if you prefer.\n"
        "Are you salaried? Is your monthly salary at least Rs {min_salary}? Do you live in {cities_or}?"
    ),
    "welcome.consent": (
        "When you press Start, the microphone turns on and this kiosk listens to your answers. "
        "Your answers are kept with a record of this conversation for QuickRupee's loan team; "
        "the screen is cleared afterwards."
    ),
    "lang.choose": "Language",
    "lang.en": "English",
    "lang.hi": "हिन्दी",
    "button.staff": "Staff",
    "button.close": "Close",
    "button.save": "Save",
    "button.skip": "Skip",
    "button.cancel": "Cancel",
    "button.ok": "OK",
    "button.later": "Later",
    "button.erase": "⌫",
    "staff.title": "Staff area",
    "staff.no_alerts": "Everything is working.",
    "staff.pick": "Choose Analytics to see recent calls. This page closes by itself when nobody uses it.",
    "alert.records": "Records are not being saved: {detail}. Calls wait in the local spool until the database works.",
    "alert.engine": "The speech engine could not start: {detail}",
    "alert.note": "{detail}",
    "pin.new": "Choose a new staff PIN (4 to 8 digits)",
    "pin.again": "Enter the new PIN again",
    "pin.mismatch": "The two PINs were different. Start again.",
    "pin.short": "A PIN has 4 to 8 digits.",
    "pin.default": "The staff PIN is still the factory default. Please choose a new one.",
    "lead.title": "Leave your mobile number",
    "lead.consent": (
        "If you press Save, QuickRupee may call you on this number about your loan. "
        "It is kept with this conversation's record."
    ),
    "lead.placeholder": "10-digit mobile number",
    "lead.invalid": "That is not a valid Indian mobile number. Please check it.",
    "lead.saved": "Thank you. An agent will call you on {phone}.",
    "lead.skipped": "No number left. Quote your reference at the desk.",
    "outcome.reference": "Your reference: {reference}",
    "idle.warning": "Still there? This screen clears in {seconds} s. Touch the screen to continue.",
    "transcript.unclear": "(not clear, please say it again)",
    "button.start": "Start",
    "button.stop": "Stop",
    "button.send": "Send",
    "button.settings": "Settings",
    "button.analytics": "Analytics",
    "button.about": "About",
    "button.exit": "Exit",
    "button.new": "Start again",
    "typed.placeholder": "Prefer to type? Write your answer here",
    "engine.label": "Speech: {name}",
    "engine.offline": "offline",
    "engine.openai": "OpenAI Realtime",
    "status.ready": "Ready",
    "status.listening": "Listening",
    "status.thinking": "Thinking",
    "status.speaking": "Speaking",
    "status.finished": "Finished",
    "status.typing": "Type your answer",
    "status.stopped": "Stopped",
    "transcript.bot": "QuickRupee",
    "transcript.caller": "You",
    "panel.transcript": "Conversation",
    "panel.diagram": "Where we are",
    "meter.mic": "Microphone",
    "meter.speaking": "Bot speaking",
    "meter.off": "Microphone off",
    "outcome.eligible": "You are eligible",
    "outcome.not_eligible": "Not eligible right now",
    "outcome.incomplete": "We could not finish",
    "outcome.next.eligible": "An agent will call you back within one working day.",
    "outcome.next.not_eligible": "Thank you for your time. You are welcome to apply again when things change.",
    "outcome.next.incomplete": "Please press Start again, or ask a member of staff here for help.",
    "reason.not_salaried": "We currently lend only to salaried employees.",
    "reason.salary_below_minimum": "The minimum monthly salary is Rs {min_salary}.",
    "reason.city_not_serviceable": "For now we serve only {cities}.",
    "reason.all_met": "Salaried, salary at or above the minimum, and a city we serve.",
    "reason.no_answers": "We did not get all three answers.",
    "reset.countdown": "This screen clears in {seconds} s",
    "error.no_microphone": "No microphone was found. You can still type your answers below.",
    "error.device_lost": "The microphone stopped working. This conversation was ended; please type instead.",
    "error.sample_rate": "The audio device does not support the sample rate we need. Choose another in Settings.",
    "error.output": "The speaker could not be opened. Answers will still be shown on screen.",
    "error.engine": "Speaking is not available right now. Please type your answers below.",
    "pin.title": "Staff PIN",
    "pin.prompt": "Enter the staff PIN to continue",
    "pin.wrong": "Wrong PIN",
    "state.INIT": "Start",
    "state.GREETING": "Greeting",
    "state.ASK_EMPLOYMENT": "Salaried?",
    "state.ASK_SALARY": "Salary?",
    "state.ASK_CITY": "City?",
    "state.CONFIRM_EMPLOYMENT": "Salaried, right?",
    "state.CONFIRM_SALARY": "Salary, right?",
    "state.CONFIRM_CITY": "City, right?",
    "state.ELIGIBLE": "Eligible",
    "state.NOT_ELIGIBLE": "Not eligible",
    "state.INCOMPLETE": "Incomplete",
    "state.END": "End",
    "an.title": "Analytics",
    "an.refresh": "Refresh",
    "an.loading": "Loading…",
    "an.updated": "updated {time}",
    "an.unavailable": "Records unavailable: {error}",
    "an.no_calls": "No calls in this period",
    "an.gone": "This call is no longer stored.",
    "an.period.7": "Last 7 days",
    "an.period.14": "Last 14 days",
    "an.period.30": "Last 30 days",
    "an.period.90": "Last 90 days",
    "an.period.all": "All time",
    "an.tile.calls": "Calls",
    "an.tile.rate": "Eligible, of decided calls",
    "an.tile.incomplete": "Incomplete",
    "an.tile.latency": "Median turn latency",
    "an.funnel": "Screening funnel (share of calls started)",
    "an.outcomes": "Outcomes by day",
    "an.step.started": "Calls started",
    "an.step.employment_answered": "Employment answered",
    "an.step.salary_answered": "Salary answered",
    "an.step.city_answered": "City answered",
    "an.step.eligible": "Eligible",
    "an.lost": "Hung up or unclear: {lost}",
    "an.lost_at": "{count} at {question}",
    "an.col.started": "Started ({zone})",
    "an.col.channel": "Channel",
    "an.col.outcome": "Outcome",
    "an.col.salary": "Salary",
    "an.col.city": "City",
    "an.col.lead": "Lead",
    "an.outcome.eligible": "Eligible",
    "an.outcome.not_eligible": "Not eligible",
    "an.outcome.incomplete": "Incomplete",
    "an.outcome.none": "Unfinished",
    "an.reason.not_salaried": "not salaried",
    "an.reason.salary_below_minimum": "salary below minimum",
    "an.reason.city_not_serviceable": "city not served",
}

_HI: dict[str, str] = {
    "app.title": "QuickRupee Voice",
    "app.tagline": "तीन आसान सवालों में अपनी लोन पात्रता जानें",
    "welcome.body": (
        "तीन सवालों के जवाब बोलकर दें, या चाहें तो लिखकर।\n"
        "क्या आप वेतनभोगी हैं? क्या आपकी मासिक सैलरी कम से कम {min_salary} रुपये है? "
        "क्या आप {cities_or_hi} में रहते हैं?"
    ),
    "welcome.consent": (
        "शुरू करें दबाने पर माइक्रोफ़ोन चालू होगा और यह कियोस्क आपके जवाब सुनेगा। "
        "आपके जवाब इस बातचीत के रिकॉर्ड के साथ QuickRupee की लोन टीम के लिए रखे जाते हैं; "
        "बाद में स्क्रीन साफ़ कर दी जाती है।"
    ),
    "lang.choose": "भाषा",
    "lang.en": "English",
    "lang.hi": "हिन्दी",
    "button.staff": "स्टाफ़",
    "button.close": "बंद करें",
    "button.save": "सेव करें",
    "button.skip": "छोड़ें",
    "button.cancel": "रद्द करें",
    "button.ok": "ठीक है",
    "button.later": "बाद में",
    "button.erase": "⌫",
    "staff.title": "स्टाफ़ क्षेत्र",
    "staff.no_alerts": "सब ठीक चल रहा है।",
    "staff.pick": "हाल की कॉल देखने के लिए एनालिटिक्स चुनें। कोई इस्तेमाल न करे तो यह पेज अपने आप बंद हो जाता है।",
    "alert.records": "रिकॉर्ड सेव नहीं हो रहे: {detail}। डेटाबेस चलने तक कॉल लोकल स्पूल में रखी जाती हैं।",
    "alert.engine": "स्पीच इंजन शुरू नहीं हो सका: {detail}",
    "alert.note": "{detail}",
    "pin.new": "नया स्टाफ़ PIN चुनें (4 से 8 अंक)",
    "pin.again": "नया PIN फिर से डालें",
    "pin.mismatch": "दोनों PIN अलग थे। फिर से शुरू करें।",
    "pin.short": "PIN में 4 से 8 अंक होते हैं।",
    "pin.default": "स्टाफ़ PIN अभी भी फ़ैक्टरी वाला है। कृपया नया चुनें।",
    "lead.title": "अपना मोबाइल नंबर दें",
    "lead.consent": (
        "सेव करें दबाने पर QuickRupee आपके लोन के बारे में इस नंबर पर कॉल कर सकता है। नंबर इस बातचीत के रिकॉर्ड के साथ रखा जाता है।"
    ),
    "lead.placeholder": "10 अंकों का मोबाइल नंबर",
    "lead.invalid": "यह सही भारतीय मोबाइल नंबर नहीं है। कृपया जाँचें।",
    "lead.saved": "धन्यवाद। एजेंट आपको {phone} पर कॉल करेगा।",
    "lead.skipped": "कोई नंबर नहीं दिया। डेस्क पर अपना रेफ़रेंस बताएँ।",
    "outcome.reference": "आपका रेफ़रेंस: {reference}",
    "idle.warning": "क्या आप अभी भी हैं? यह स्क्रीन {seconds} सेकंड में साफ़ होगी। जारी रखने के लिए स्क्रीन छुएँ।",
    "transcript.unclear": "(साफ़ नहीं सुनाई दिया, कृपया फिर से बोलें)",
    "button.start": "शुरू करें",
    "button.stop": "रोकें",
    "button.send": "भेजें",
    "button.settings": "सेटिंग्स",
    "button.analytics": "एनालिटिक्स",
    "button.about": "परिचय",
    "button.exit": "बाहर निकलें",
    "button.new": "फिर से शुरू करें",
    "typed.placeholder": "लिखना चाहते हैं? अपना जवाब यहाँ लिखें",
    "engine.label": "स्पीच: {name}",
    "engine.offline": "ऑफ़लाइन",
    "engine.openai": "OpenAI Realtime",
    "status.ready": "तैयार",
    "status.listening": "सुन रहा है",
    "status.thinking": "सोच रहा है",
    "status.speaking": "बोल रहा है",
    "status.finished": "पूरा हुआ",
    "status.typing": "अपना जवाब लिखें",
    "status.stopped": "रुका हुआ",
    "transcript.bot": "QuickRupee",
    "transcript.caller": "आप",
    "panel.transcript": "बातचीत",
    "panel.diagram": "हम कहाँ हैं",
    "meter.mic": "माइक्रोफ़ोन",
    "meter.speaking": "बॉट बोल रहा है",
    "meter.off": "माइक्रोफ़ोन बंद",
    "outcome.eligible": "आप पात्र हैं",
    "outcome.not_eligible": "अभी पात्र नहीं",
    "outcome.incomplete": "बातचीत पूरी नहीं हो सकी",
    "outcome.next.eligible": "हमारा एजेंट एक कार्य-दिवस के भीतर आपको कॉल करेगा।",
    "outcome.next.not_eligible": "आपके समय के लिए धन्यवाद। स्थिति बदलने पर फिर से आवेदन करें।",
    "outcome.next.incomplete": "कृपया फिर से शुरू करें दबाएँ, या यहाँ किसी स्टाफ़ सदस्य से मदद लें।",
    "reason.not_salaried": "अभी हम केवल वेतनभोगी कर्मचारियों को लोन देते हैं।",
    "reason.salary_below_minimum": "न्यूनतम मासिक सैलरी {min_salary} रुपये है।",
    "reason.city_not_serviceable": "अभी हम केवल {cities_hi} में सेवा देते हैं।",
    "reason.all_met": "वेतनभोगी, न्यूनतम या अधिक सैलरी, और हमारी सेवा वाला शहर।",
    "reason.no_answers": "हमें तीनों जवाब नहीं मिले।",
    "reset.countdown": "यह स्क्रीन {seconds} सेकंड में साफ़ होगी",
    "error.no_microphone": "कोई माइक्रोफ़ोन नहीं मिला। आप नीचे अपने जवाब लिख सकते हैं।",
    "error.device_lost": "माइक्रोफ़ोन ने काम करना बंद कर दिया। यह बातचीत समाप्त हुई; कृपया लिखकर जवाब दें।",
    "error.sample_rate": "ऑडियो डिवाइस ज़रूरी सैंपल रेट नहीं देता। सेटिंग्स में दूसरा चुनें।",
    "error.output": "स्पीकर नहीं खुल सका। जवाब स्क्रीन पर दिखते रहेंगे।",
    "error.engine": "अभी बोलकर जवाब देना संभव नहीं है। कृपया नीचे अपने जवाब लिखें।",
    "pin.title": "स्टाफ़ PIN",
    "pin.prompt": "आगे बढ़ने के लिए स्टाफ़ PIN डालें",
    "pin.wrong": "गलत PIN",
    "state.INIT": "शुरू",
    "state.GREETING": "स्वागत",
    "state.ASK_EMPLOYMENT": "वेतनभोगी?",
    "state.ASK_SALARY": "सैलरी?",
    "state.ASK_CITY": "शहर?",
    "state.CONFIRM_EMPLOYMENT": "वेतनभोगी, सही?",
    "state.CONFIRM_SALARY": "सैलरी, सही?",
    "state.CONFIRM_CITY": "शहर, सही?",
    "state.ELIGIBLE": "पात्र",
    "state.NOT_ELIGIBLE": "पात्र नहीं",
    "state.INCOMPLETE": "अधूरा",
    "state.END": "समाप्त",
    "an.title": "एनालिटिक्स",
    "an.refresh": "ताज़ा करें",
    "an.loading": "लोड हो रहा है…",
    "an.updated": "{time} पर अपडेट",
    "an.unavailable": "रिकॉर्ड उपलब्ध नहीं: {error}",
    "an.no_calls": "इस अवधि में कोई कॉल नहीं",
    "an.gone": "यह कॉल अब रखी नहीं गई है।",
    "an.period.7": "पिछले 7 दिन",
    "an.period.14": "पिछले 14 दिन",
    "an.period.30": "पिछले 30 दिन",
    "an.period.90": "पिछले 90 दिन",
    "an.period.all": "सारा समय",
    "an.tile.calls": "कॉल",
    "an.tile.rate": "पात्र, तय हुई कॉल में से",
    "an.tile.incomplete": "अधूरी",
    "an.tile.latency": "जवाब में औसत देरी",
    "an.funnel": "स्क्रीनिंग फ़नल (शुरू हुई कॉल का हिस्सा)",
    "an.outcomes": "दिन के हिसाब से नतीजे",
    "an.step.started": "शुरू हुई कॉल",
    "an.step.employment_answered": "नौकरी का जवाब",
    "an.step.salary_answered": "सैलरी का जवाब",
    "an.step.city_answered": "शहर का जवाब",
    "an.step.eligible": "पात्र",
    "an.lost": "कॉल छोड़ी या जवाब साफ़ नहीं: {lost}",
    "an.lost_at": "{question} पर {count}",
    "an.col.started": "शुरू ({zone})",
    "an.col.channel": "चैनल",
    "an.col.outcome": "नतीजा",
    "an.col.salary": "सैलरी",
    "an.col.city": "शहर",
    "an.col.lead": "संपर्क",
    "an.outcome.eligible": "पात्र",
    "an.outcome.not_eligible": "पात्र नहीं",
    "an.outcome.incomplete": "अधूरी",
    "an.outcome.none": "अधूरी छूटी",
    "an.reason.not_salaried": "वेतनभोगी नहीं",
    "an.reason.salary_below_minimum": "सैलरी न्यूनतम से कम",
    "an.reason.city_not_serviceable": "शहर में सेवा नहीं",
}

_HI_EDGES: dict[str, str] = {
    "all answered, all met": "सब जवाब मिले, सब शर्तें पूरी",
    "call starts": "कॉल शुरू",
    "caller left": "कॉलर चला गया",
    "city not serviceable": "शहर में सेवा नहीं",
    "goodbye": "अलविदा",
    "greeted": "स्वागत हुआ",
    "no usable answer": "काम का जवाब नहीं",
    "not salaried": "वेतनभोगी नहीं",
    "repeat requested": "दोहराने को कहा",
    "salaried": "वेतनभोगी",
    "salaried, salary given": "वेतनभोगी, सैलरी बताई",
    "salary at least minimum": "सैलरी न्यूनतम या अधिक",
    "salary below minimum": "सैलरी न्यूनतम से कम",
    "salary met, city serviceable": "सैलरी ठीक, शहर में सेवा",
    "serviceable city": "सेवा वाला शहर",
    "unclear: ask again": "साफ़ नहीं: फिर पूछें",
    "unsure: read back": "पक्का नहीं: दोहराकर पूछें",
    "new unsure answer: read back": "नया अनिश्चित जवाब: दोहराकर पूछें",
    "not confirmed: ask again": "पुष्टि नहीं: फिर पूछें",
}
_HI_EDGES.update({f"yes: {label}": f"हाँ: {_HI_EDGES[label]}" for label in list(_HI_EDGES)})
"""The dialogue table's edge labels in Hindi, keyed by the English label (a label not listed stays English)."""
_HI.update({f"edge.{label}": text for label, text in _HI_EDGES.items()})

_TABLES: dict[Lang, dict[str, str]] = {Lang.EN: _EN, Lang.HI: _HI}


class Strings:
    """The current UI language; widgets ask it for text and re-read it when the language changes."""

    def __init__(self, lang: Lang = Lang.EN) -> None:
        self.lang = lang

    def __call__(self, key: str, **values: object) -> str:
        text = _TABLES[self.lang].get(key) or _EN[key]
        return text.format(**values) if values else text

    def get(self, key: str, fallback: str) -> str:
        """Text for an optional key (a state the table gained after this file was written)."""
        return _TABLES[self.lang].get(key) or _EN.get(key) or fallback


CITY_HI = {"Delhi": "दिल्ली", "Mumbai": "मुंबई", "Bangalore": "बेंगलुरु", "Bengaluru": "बेंगलुरु"}
"""How the Hindi screens write the cities we serve (a city not listed keeps its English name)."""


def policy_values(policy: Policy) -> dict[str, str]:
    """Policy facts the UI quotes, formatted the Indian way ("25,000", "1,00,000"), in both languages."""
    names = [city.name for city in policy.serviceable_cities]
    hindi = [CITY_HI.get(name, name) for name in names]
    return {
        "min_salary": indian_grouping(policy.min_monthly_salary),
        "cities": _joined(names, "and"),
        "cities_or": _joined(names, "or"),
        "cities_hi": _joined(hindi, "और"),
        "cities_or_hi": _joined(hindi, "या"),
    }


def _joined(names: list[str], word: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {word} {names[-1]}"


def indian_grouping(amount: int) -> str:
    """12,34,567 rather than 1,234,567."""
    digits = str(amount)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while len(head) > 2:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *groups, tail]) if head else ",".join([*groups, tail])


def missing_keys(lang: Lang) -> list[str]:
    """Keys the English table has and `lang` lacks (a test keeps this empty)."""
    return sorted(set(_EN) - set(_TABLES[lang]))


def edge_label(strings: Strings, label: str) -> str:
    """A dialogue-table edge label in the UI language; new edges from other tables show their own label."""
    return strings.get(f"edge.{label}", label)
