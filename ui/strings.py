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
        "Answer three questions by speaking, or type your answers below.\n"
        "Are you salaried? Is your monthly salary at least Rs {min_salary}? Do you live in {cities_or}?"
    ),
    "welcome.consent": (
        "When you press Start, the microphone turns on and this kiosk listens to your answers. "
        "Your words are used only to check eligibility and are cleared from the screen afterwards."
    ),
    "button.start": "Start",
    "button.stop": "Stop",
    "button.send": "Send",
    "button.settings": "Settings",
    "button.analytics": "Analytics",
    "button.about": "About",
    "button.exit": "Exit",
    "button.new": "Start again",
    "typed.placeholder": "Prefer to type? Write your answer here and press Enter",
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
    "outcome.next.incomplete": "Please try again, or visit your nearest QuickRupee branch.",
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
    "error.engine": "The speech engine could not start: {detail}. You can type your answers below.",
    "pin.title": "Staff PIN",
    "pin.prompt": "Enter the staff PIN to continue",
    "pin.wrong": "Wrong PIN",
    "lang.toggle": "हिन्दी",
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
}

_HI: dict[str, str] = {
    "app.title": "QuickRupee Voice",
    "app.tagline": "तीन आसान सवालों में अपनी लोन पात्रता जानें",
    "welcome.body": (
        "तीन सवालों के जवाब बोलकर दें, या नीचे लिखें।\n"
        "क्या आप वेतनभोगी हैं? क्या आपकी मासिक सैलरी कम से कम {min_salary} रुपये है? "
        "क्या आप {cities_or} में रहते हैं?"
    ),
    "welcome.consent": (
        "Start दबाने पर माइक्रोफ़ोन चालू होगा और यह कियोस्क आपके जवाब सुनेगा। "
        "आपके शब्द केवल पात्रता जाँचने के लिए हैं और बाद में स्क्रीन से हटा दिए जाते हैं।"
    ),
    "button.start": "शुरू करें",
    "button.stop": "रोकें",
    "button.send": "भेजें",
    "button.settings": "सेटिंग्स",
    "button.analytics": "एनालिटिक्स",
    "button.about": "परिचय",
    "button.exit": "बाहर निकलें",
    "button.new": "फिर से शुरू करें",
    "typed.placeholder": "लिखना चाहते हैं? अपना जवाब यहाँ लिखें और Enter दबाएँ",
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
    "outcome.next.incomplete": "कृपया फिर से कोशिश करें, या अपनी नज़दीकी QuickRupee शाखा पर आएँ।",
    "reason.not_salaried": "अभी हम केवल वेतनभोगी कर्मचारियों को लोन देते हैं।",
    "reason.salary_below_minimum": "न्यूनतम मासिक सैलरी {min_salary} रुपये है।",
    "reason.city_not_serviceable": "अभी हम केवल {cities} में सेवा देते हैं।",
    "reason.all_met": "वेतनभोगी, न्यूनतम या अधिक सैलरी, और हमारी सेवा वाला शहर।",
    "reason.no_answers": "हमें तीनों जवाब नहीं मिले।",
    "reset.countdown": "यह स्क्रीन {seconds} सेकंड में साफ़ होगी",
    "error.no_microphone": "कोई माइक्रोफ़ोन नहीं मिला। आप नीचे अपने जवाब लिख सकते हैं।",
    "error.device_lost": "माइक्रोफ़ोन ने काम करना बंद कर दिया। यह बातचीत समाप्त हुई; कृपया लिखकर जवाब दें।",
    "error.sample_rate": "ऑडियो डिवाइस ज़रूरी सैंपल रेट नहीं देता। सेटिंग्स में दूसरा चुनें।",
    "error.output": "स्पीकर नहीं खुल सका। जवाब स्क्रीन पर दिखते रहेंगे।",
    "error.engine": "स्पीच इंजन शुरू नहीं हो सका: {detail}। आप नीचे जवाब लिख सकते हैं।",
    "pin.title": "स्टाफ़ PIN",
    "pin.prompt": "आगे बढ़ने के लिए स्टाफ़ PIN डालें",
    "pin.wrong": "गलत PIN",
    "lang.toggle": "English",
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
}

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


def policy_values(policy: Policy) -> dict[str, str]:
    """Policy facts the UI quotes, formatted the Indian way ("25,000", "1,00,000")."""
    names = [city.name for city in policy.serviceable_cities]
    cities = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    either = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return {"min_salary": indian_grouping(policy.min_monthly_salary), "cities": cities, "cities_or": either}


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
