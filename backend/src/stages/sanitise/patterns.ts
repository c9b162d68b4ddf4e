import { ACTION_TYPES, type SignalKind } from '@pm-agent/shared';

/**
 * The phrase detectors, as data. Each row: the kind of signal, what a person is told, and the
 * pattern (global; case-insensitive unless `caseSensitive`). Patterns run on NFKC text with
 * lookalike letters folded, and are written for precision on ordinary business mail: a high-
 * severity kind on a normal email is a false alarm people learn to ignore. Rows earlier in the
 * table win when two rows of the same kind match the same words, so stronger rows come first.
 *
 * `needsDestination`: only counts when an email address or URL (or "to an external…") follows
 * within a sentence or two: "send the customer list" is ordinary, "…to x@evil.example" is not.
 * `mild`: a row that fires on routine wording; it is not applied to decoded text.
 */
export interface PhraseDetector {
  kind: SignalKind;
  explanation: string;
  pattern: RegExp;
  needsDestination?: boolean;
  mild?: boolean;
}

// ---- shared vocabulary -------------------------------------------------------------------------------

const ROLES = String.raw`(?:ceo|cfo|cto|coo|ciso|cio|cso|c-suite|chief\s+[a-z]+\s+officer|chief\s+executive|chair(?:man|woman|person)?|board(?:\s+of\s+directors)?|executive\s+(?:team|board|committee)|leadership(?:\s+team)?|senior\s+management|managing\s+director|president|founder|head\s+of\s+[a-z]+|security\s+team|legal\s+(?:team|department)|compliance\s+(?:team|department)|it\s+(?:department|team|security|support|admin(?:istrator)?)|system\s+administrator|sysadmin|anthropic|openai)`;
const AI = String.raw`(?:ai|a\.i\.|llm|llms|large\s+language\s+model|language\s+model|ai\s+(?:assistant|agent|model|system)|(?:pm|project[- ]management|automated|autonomous|virtual|triage)\s+(?:assistant|agent)|chatbot|chatgpt|gpt-?\d*|copilot|gemini)`;
const DELETE = String.raw`(?:delete|remove|wipe|erase|purge|destroy|drop|truncate|shred|nuke|obliterate|clear\s+out|get\s+rid\s+of)`;
const SEND = String.raw`(?:send|forward|fwd|export|upload|share|e-?mail|mail|post|transfer|copy|leak|dump|exfiltrate|bcc|sync|paste|submit|attach|reply\s+with|respond\s+with)`;
const SECRETS = String.raw`(?:credentials?|passwords?(?!\s+reset)|passwd|pass\s?codes?|api[\s_-]?keys?|access[\s_-]?keys?|secret[\s_-]?keys?|private[\s_-]?keys?|ssh[\s_-]?keys?|access\s+tokens?|auth(?:entication)?\s+(?:tokens?|codes?)|bearer\s+tokens?|session\s+(?:cookies?|tokens?)|secrets|(?:2fa|mfa|otp|one-time|verification)\s+(?:codes?|passwords?)|login\s+details|(?:jira|aws|graph|anthropic|admin)\s+(?:keys?|tokens?|credentials?|passwords?))`;
const MAILBOX = String.raw`(?:all|every|each|the\s+entire|the\s+whole|your\s+entire|the\s+full)\s+(?:(?:of\s+)?(?:the|your|my|our|their|this)\s+)?(?:(?:incoming|future|new|past|internal|inbox|recent|other)\s+)?(?:e-?mails?|mail|messages|correspondence|inbox|mailbox|threads|conversations|contacts|address\s+book)`;
const SENSITIVE = String.raw`(?:(?:all\s+(?:the\s+)?|the\s+)?(?:customer|client|user|employee|personal|patient|payroll|salary|hr|financial|bank(?:ing)?|card|credit\s+card)\s+(?:data|records|details|information|info|list|database|numbers?)|confidential\s*[a-z]*|source\s+code|(?:the\s+)?database(?:\s+dump)?|pii|internal\s+documents?|trade\s+secrets|conversation\s+history|chat\s+history|previous\s+messages|(?:all|every)\s+(?:the\s+)?(?:documents|files|attachments|tickets|issues|records|data|invoices))`;
const ACTION_NAMES = ACTION_TYPES.join('|');
/** "Never share your password": advice, not a request. */
const NOT_NEGATED = String.raw`(?<!(?:\bnever|\bnot|n't|\bno\s+one\s+will)\s+(?:\w+\s+){0,3})`;

const re = (source: string, caseSensitive = false): RegExp => new RegExp(source, caseSensitive ? 'gm' : 'gim');

// ---- the table -------------------------------------------------------------------------------------

export const PHRASE_DETECTORS: readonly PhraseDetector[] = [
  // instruction_override ------------------------------------------------------------------------------
  {
    kind: 'instruction_override',
    explanation: 'Tells the reader to ignore its previous instructions or rules: the classic opening of a prompt injection. An email has no business instructing the agent.',
    pattern: re(
      String.raw`\b(?:ignore|disregard|forget|override|bypass|discard)\s+(?:(?:the|of|all)\s+){0,2}(?:all|any|every|previous|prior|above|earlier|preceding|former|original|initial|system|safety|your)\s+(?:(?:the|of|other|previous|prior|above|earlier|system|safety|given|existing)\s+){0,3}(?:instructions?|prompts?|rules|directives?|guidelines|guardrails|constraints|programming|commands?|context)\b`,
    ),
  },
  {
    kind: 'instruction_override',
    explanation: 'Tells the reader to discard what came before, a common prompt-injection opener. People sometimes write this after a mistake; read it in context.',
    pattern: re(String.raw`\b(?:ignore|disregard|forget)\s+(?:all\s+|everything\s+|anything\s+)?(?:of\s+)?(?:the\s+|what\s+is\s+|what's\s+|that\s+is\s+|everything\s+)?(?:above|said\s+(?:above|before)|written\s+above|before\s+this)\b`),
  },
  {
    kind: 'instruction_override',
    explanation: 'Announces new instructions for the reader. An email cannot change what the agent is told to do.',
    pattern: re(String.raw`\b(?:new|updated|revised|real|actual|true|secret|hidden|additional|override|priority)\s+(?:system\s+)?(?:instructions?|directives?|prompt|rules)\s*(?::|--|—)`),
  },
  {
    kind: 'instruction_override',
    explanation: 'Refers to a system prompt or system message, the agent’s own instructions. Ordinary mail does not talk about them.',
    pattern: re(String.raw`\bsystem\s+prompts?\b|\bsystem\s+(?:message|instructions?|override)\s*:`),
  },
  {
    kind: 'instruction_override',
    explanation: 'Imitates the markup of a model conversation (system or assistant turn), to make email text look like the agent’s own instructions.',
    pattern: re(
      String.raw`<\s*\/?\s*(?:system|assistant|instructions?|sys|admin|im_start|im_end)\s*>|<\|(?:im_start|im_end|system|endoftext|assistant|user)\|>|\[\/?(?:INST|SYS|SYSTEM)\]|<<\/?SYS>>|^[ \t]*#{1,6}[ \t]*(?:system|instructions?|assistant)(?:[ \t]+(?:prompt|message|override))?[ \t]*:?[ \t]*$|\bBEGIN\s+(?:SYSTEM|ADMIN|NEW)\s+(?:PROMPT|INSTRUCTIONS?|MESSAGE)\b`,
    ),
  },
  {
    kind: 'instruction_override',
    explanation: 'Tries to give the reader a new identity or mode ("you are now…", "act as…"), a common jailbreak move.',
    pattern: re(
      String.raw`\byou\s+are\s+now\s+(?:an?\s+|the\s+|in\s+|my\s+|operating\s+(?:in\s+)?|acting\s+as\s+|free\s+|no\s+longer\s+)?(?:[\w-]+\s+){0,2}?(?:ai|assistant|agent|bot|model|dan|jailbroken|unrestricted|unfiltered|uncensored|admin|administrator|root|developer|god|debug|maintenance)\b(?:\s+mode)?`,
    ),
  },
  {
    kind: 'instruction_override',
    explanation: 'Tries to give the reader a new identity or mode ("you are now…", "act as…"), a common jailbreak move.',
    pattern: re(
      String.raw`\b(?:act|behave|pretend|roleplay|role-play|masquerade)\s+(?:as|like|to\s+be|you\s+are)\s+(?:an?\s+|the\s+|my\s+)?(?:[\w-]+\s+){0,2}?(?:ai|chatbot|language\s+model|dan|jailbroken|unrestricted|unfiltered|uncensored|root|superuser|(?:different|new|unrestricted)\s+(?:ai|assistant|agent|model))\b|\bfrom\s+now\s+on,?\s+(?:you\s+(?:will|must|shall|should)\s+)?(?:act|respond|behave|ignore|pretend|obey|only\s+follow|answer\s+as)\b`,
    ),
  },
  {
    kind: 'instruction_override',
    explanation: 'Asks the reader to keep something from the people who review the agent’s work. Nothing legitimate needs that.',
    pattern: re(
      String.raw`\b(?:do\s+not|don't|dont|never|without)\s+(?:tell(?:ing)?|inform(?:ing)?|notify(?:ing)?|alert(?:ing)?|mention(?:ing)?(?:\s+(?:this|it))?\s+to|show(?:ing)?|reveal(?:ing)?|report(?:ing)?\s+(?:this|it)\s+to)\s+(?:this\s+to\s+)?(?:the\s+)?(?:user|human|humans|reviewer|reviewers|approvers?|operator|project\s+manager|admins?)\b|\b(?:hide|conceal|keep)\s+(?:this|these|it)\s+(?:hidden\s+|secret\s+)?from\s+(?:the\s+)?(?:user|human|reviewer|approvers?|operator)\b`,
    ),
  },
  {
    kind: 'instruction_override',
    explanation: 'Contains what looks like a tool call or agent command. An email should never carry these; they are aimed at an automated reader.',
    pattern: re(
      String.raw`"(?:tool|tool_name|tool_call|tool_use|function|function_call|command|cmd|action|action_type|actionType|name)"\s*:\s*"(?:${ACTION_NAMES}|[\w.-]*(?:delete|forward|send_email|send_mail|exec|shell|approve|exfil|wipe|purge|grant|set_autonomy|transfer)[\w.-]*)"|<\s*(?:tool_call|tool_use|function_calls?|invoke)\b`,
    ),
  },

  // agent_addressed -----------------------------------------------------------------------------------
  {
    kind: 'agent_addressed',
    explanation: 'Speaks directly to an AI, assistant or agent reading the email. Mail written for people does not address the software that triages it.',
    pattern: re(
      String.raw`(?:\b(?:dear|hey|hi|hello|attention|attn|note\s+(?:to|for)|message\s+(?:to|for)|instructions?\s+(?:to|for)|memo\s+to|reminder\s+(?:to|for))\s*:?\s*(?:the\s+|any\s+|all\s+|every\s+)?|\bto\s+(?:any|all|every)\s+)(?:${AI}|assistant|agent|bot|model)s?\b(?!\s+(?:manager|director|professor|editor|coach|secretary|principal|vendor|company|startup|team|conference|summit|event|webinar|report|news|strategy|project|policy|tools?|market|trends?|adoption|expert)s?\b)`,
    ),
  },
  {
    kind: 'agent_addressed',
    explanation: 'Speaks directly to an AI, assistant or agent reading the email. Mail written for people does not address the software that triages it.',
    pattern: re(
      String.raw`\b(?:if\s+you\s+are|you\s+are|you're)\s+(?:an?\s+|the\s+)?${AI}\b(?!\s+(?:company|startup|firm|vendor|provider|platform|product|team|expert|researcher|consultant|engineer|specialist|tools?|solutions?|features?|strategy|project|initiative|programme|program|policy|adoption|investment|enthusiast|user)s?\b)`,
    ),
  },
  {
    kind: 'agent_addressed',
    explanation: 'Addresses the automated reader of this email ("the AI assistant reading this…"), which is how injected instructions usually begin.',
    pattern: re(
      String.raw`\b(?:${AI}|assistant|agent|model|bot)s?\s*,?\s+(?:(?:that|which|who)\s+(?:is\s+)?)?(?:reading|processing|summari[sz]ing|triaging|analy[sz]ing|parsing|reads|processes)\s+(?:this|these|the\s+(?:email|message|mail|text))\b`,
    ),
  },
  {
    kind: 'agent_addressed',
    explanation: 'Tells an AI or agent what it must do. Instructions for the agent come from its owner, never from an email.',
    pattern: re(
      String.raw`\b${AI}s?\s+(?:must|should|shall|will|needs?\s+to|has\s+to|is\s+(?:required|instructed|ordered|authori[sz]ed|expected)\s+to)\s+(?:now\s+|immediately\s+|always\s+|also\s+)?(?:ignore|forward|send|delete|approve|execute|run|change|set|create|post|reply|email|transfer|grant|add|disable|remove|follow|obey|comply|update|close|move|comment|mark)\b`,
    ),
  },
  {
    kind: 'agent_addressed',
    explanation: 'Gives an AI or agent an order by addressing it ("AI agent: post…"). Instructions for the agent come from its owner, never from an email.',
    pattern: re(
      String.raw`(?:^|[.!?]\s+)\s*(?:(?:hey|hi|hello|dear|ok|okay|attention)\s+)?(?:the\s+)?${AI}s?\s*[:,]\s*(?:please\s+)?(?:ignore|forward|send|delete|approve|execute|run|change|set|create|post|reply|email|transfer|grant|add|disable|remove|follow|obey|comply|update|close|move|comment|mark|summari[sz]e|tell|do|make|write|open|assign)\b`,
    ),
  },
  {
    kind: 'agent_addressed',
    explanation: 'Speaks to an AI model by name. Check whether this is a person called Claude or text aimed at the agent.',
    pattern: re(String.raw`\bclaude\b(?=[^.!?\n]{0,40}\b(?:ai|assistant|model|anthropic|llm|agent)\b)|\b(?:hey|hi|hello|dear|ok|okay)\s+(?:chat)?gpt\b`),
  },

  // authority_claim -----------------------------------------------------------------------------------
  {
    kind: 'authority_claim',
    explanation: 'Claims approval or orders from someone senior. Nothing in an email can grant approval; approvals happen in the panel.',
    pattern: re(String.raw`\b(?:pre-?)?(?:approved|authori[sz]ed|signed[- ]off|sanctioned|mandated|ordered|instructed|cleared|greenlit|green-lit|okayed)\s+by\s+(?:the\s+|our\s+|your\s+)?${ROLES}\b`),
  },
  {
    kind: 'authority_claim',
    explanation: 'Claims approval or orders from someone senior. Nothing in an email can grant approval; approvals happen in the panel.',
    pattern: re(String.raw`\b(?:approved|authori[sz]ed|signed\s+off|requested)\s+by\s+(?:the\s+)?(?:IT|I\.T\.)\b`, true),
  },
  {
    kind: 'authority_claim',
    explanation: 'Speaks with borrowed authority ("on behalf of the CEO / IT"). Check that the sender really speaks for them.',
    pattern: re(String.raw`\bon\s+behalf\s+of\s+(?:the\s+|our\s+|your\s+)?${ROLES}\b|\b(?:urgent|confidential|direct|personal|priority)\s+(?:request|instruction|order|directive)\s+from\s+(?:the\s+|our\s+)?${ROLES}\b`),
  },
  {
    kind: 'authority_claim',
    explanation: 'Presents itself as an order. Pressure to obey without checking is a common manipulation.',
    pattern: re(String.raw`\bthis\s+is\s+an?\s+(?:direct\s+|official\s+|executive\s+|mandatory\s+|urgent\s+)?(?:order|directive|command)\b(?!\s+(?:confirmation|number|form|update|for|of|from|summary|receipt|status)\b)`),
  },
  {
    kind: 'authority_claim',
    explanation: 'Says someone senior has authorised the reader to act. Nothing in an email can grant approval; approvals happen in the panel.',
    pattern: re(String.raw`\b(?:the\s+)?${ROLES}\s+(?:has\s+|have\s+)?(?:personally\s+|already\s+)?(?:authori[sz]ed|approved|ordered|instructed|mandated)\s+(?:you|the\s+agent|the\s+assistant|this|it|me|us)\b`),
  },

  // autonomy_or_settings ----------------------------------------------------------------------------------
  {
    kind: 'autonomy_or_settings',
    explanation: 'Asks to change the agent’s autonomy. Only an admin changes that, on the admin page; the agent can never change its own autonomy.',
    pattern: re(
      String.raw`\b(?:raise|increase|set|change|switch|bump|elevate|upgrade|escalate|maximi[sz]e|max\s+out|lift|turn\s+up|adjust)\s+(?:the\s+|your\s+|its\s+|their\s+|my\s+)?(?:(?:agent|assistant|ai|bot)(?:'s)?\s+)?(?:own\s+)?autonomy(?:\s+level)?\b|\bautonomy(?:\s+level)?\s+(?:to|=|:)\s*(?:full|max(?:imum)?|high(?:est)?|unlimited|unrestricted|complete|level\s*\d|\d)\b|\b(?:full|complete|unlimited|unrestricted|maximum)\s+autonomy\b`,
    ),
  },
  {
    kind: 'autonomy_or_settings',
    explanation: 'Asks to switch off approvals, reviews or safeguards. Those are settings only an admin can change, and never from an email.',
    pattern: re(
      String.raw`\b(?:disable|turn\s+off|switch\s+off|skip|bypass|remove|suspend|deactivate|circumvent|override|stop\s+(?:asking\s+for|requiring|waiting\s+for))\s+(?:(?:the|all|any|your|human|further|these|those)\s+){0,3}(?:approvals?|approval\s+(?:steps?|process(?:es)?|checks?|requirements?|gates?|queue|flow|workflow)|human\s+(?:review|approval|oversight|in\s+the\s+loop)|confirmations?|safety\s+checks?|safeguards?|guardrails?|hold\s+queue|decision\s+boundar(?:y|ies)|never-?do\s+list)\b`,
    ),
  },
  {
    kind: 'autonomy_or_settings',
    explanation: 'Mentions automatic approval. If it asks the agent to approve things by itself, that is a settings change only an admin may make.',
    pattern: re(String.raw`\bauto-?\s?approv(?:e|es|ed|al|ing)\b`),
  },
  {
    kind: 'autonomy_or_settings',
    explanation: 'Asks the reader to change its own settings, boundaries or permissions. Only an admin can, on the admin page.',
    pattern: re(
      String.raw`\b(?:change|modify|alter|reconfigure|rewrite|overwrite|loosen|relax|expand)\s+(?:your|the\s+agent'?s?|its)\s+(?:own\s+)?(?:settings|configuration|config|decision\s+boundar(?:y|ies)|boundar(?:y|ies)|permissions|policies|policy|limits|autonomy|instructions|system\s+prompt|guardrails|allow-?list|approver\s+list)\b(?!\s+(?:here|below|at\s+any\s+time|in\s+your\s+(?:account|profile)))`,
    ),
  },
  {
    kind: 'autonomy_or_settings',
    explanation: 'Asks to add someone as an approver or admin, or to grant access. Who may approve is set by an admin, never from an email.',
    pattern: re(
      String.raw`\badd\s+(?:me|him|her|them|us|my\s+(?:colleague|assistant|account)|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|this\s+(?:user|address|account|sender|email(?:\s+address)?))\s+(?:as\s+(?:an?\s+)?|to\s+(?:the\s+)?(?:list\s+of\s+)?)(?:approvers?|admins?|administrators?|allow-?list|whitelist|trusted\s+senders?|approver\s+list|owners?)\b|\b(?:grant|give)\s+(?:me|him|her|them|us|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|this\s+(?:user|account|address|sender))\s+(?:full\s+|admin(?:istrator)?\s+|approver\s+|elevated\s+|root\s+|owner\s+)(?:access|rights|permissions|privileges|role|status)\b`,
    ),
  },
  {
    kind: 'autonomy_or_settings',
    explanation: 'Asks to act without approval or confirmation. Whether something needs approval is decided by the boundaries, not by an email.',
    pattern: re(
      String.raw`(?<!(?:\bnot|n't|\bnever|\bcannot)\s+(?:\w+\s+)?)\b(?:do|execute|run|proceed|act|send|apply|approve|merge|deploy|perform|complete|process|make)\s+(?:[\w-]+\s+){0,3}?,?\s*without\s+(?:(?:asking|waiting|requiring|needing|seeking|any|human|further|prior|for)\s+){0,3}(?:approval|confirmation|review|sign-?off|permission|consent|a\s+human)\b|\bno\s+(?:further\s+|human\s+|additional\s+|manual\s+)?(?:approval|confirmation|review|sign-?off)s?\s+(?:is\s+|are\s+)?(?:needed|required|necessary)\b`,
    ),
  },
  {
    kind: 'autonomy_or_settings',
    explanation: 'Asks to switch off or erase the audit trail or the pause switch. Those protect everyone and only an admin touches them.',
    pattern: re(String.raw`\b(?:disable|turn\s+off|switch\s+off|delete|clear|erase|tamper\s+with|bypass)\s+(?:the\s+)?(?:audit(?:\s+(?:log|trail))?|kill\s+switch|pause\s+switch)\b`),
  },

  // destructive_request (strongest first; the last row is deliberately mild) -------------------------------
  {
    kind: 'destructive_request',
    explanation: 'Asks to delete data at scale (all records, projects, repositories or backups). The agent may never delete data; only a person could, deliberately.',
    pattern: re(
      String.raw`\b${DELETE}\s+(?:(?:of|the|your|our|their|its)\s+)?(?:all|every|entire|whole|complete)\s+(?:(?:of|the|your|our|their|its|existing|remaining|old|prod|production|customer|client|user|company|project|jira)\s+){0,3}(?:data|database|databases|db|records|projects?|repos?|repositor(?:y|ies)|backups?|snapshots?|accounts?|tickets|issues|e-?mails?|mail|mailbox(?:es)?|files|folders|documents|logs|audit\s+(?:logs?|trails?)|history|users?|customers?|contacts|tables?|servers?|instances|buckets?|storage|everything)\b|\b${DELETE}\s+everything\b`,
    ),
  },
  {
    kind: 'destructive_request',
    explanation: 'Contains a destructive database or shell command. Nothing from an email is ever run.',
    pattern: re(String.raw`\b(?:drop\s+(?:table|database|schema)|truncate\s+table|delete\s+from\s+[\w.]+\s*(?:;|where\s+1\s*=\s*1)|rm\s+-(?:rf|fr)\b|format\s+(?:c:|the\s+(?:disk|drive|server)))`),
  },
  {
    kind: 'destructive_request',
    explanation: 'Asks to delete a project, repository, database or backups. The agent may never delete data; a person should confirm this is genuine.',
    pattern: re(
      String.raw`\b${DELETE}\s+(?:the\s+|this\s+|that\s+|our\s+|your\s+|their\s+)?(?:(?:prod|production|live|customer|client|user|project|jira|company|main|master)\s+)?(?:database|db|repositor(?:y|ies)|repo|backups?|customer\s+data|user\s+data|audit\s+(?:log|trail)|production\s+data|data\s+(?:set|store|warehouse)|s3\s+bucket|bucket|schema|cluster)\b`,
    ),
  },
  {
    kind: 'destructive_request',
    explanation: 'Asks for something to be deleted. Often routine (an old draft, a file); the agent never deletes anything itself, so a person would have to.',
    pattern: re(String.raw`\b(?:delete|wipe|erase|purge|destroy|shred)\s+(?:the|this|that|these|those|our|your|my|old|its|their)\s+(?:[\w'-]+\s+){0,2}[\w'-]+`),
    mild: true,
  },

  // exfiltration ------------------------------------------------------------------------------------------
  {
    kind: 'exfiltration',
    explanation: 'Asks to send credentials, passwords, keys or tokens. Nobody legitimate asks for these by email, and the agent never has them to give.',
    pattern: re(String.raw`${NOT_NEGATED}\b${SEND}\s+(?:me\s+|us\s+|over\s+|out\s+)?(?:(?:all|every|each|the|your|our|their|its|any|a\s+copy\s+of|copies\s+of|of|stored|saved|current|admin)\s+){0,4}(?:[\w-]+\s+){0,2}?${SECRETS}\b`),
  },
  {
    kind: 'exfiltration',
    explanation: 'Asks to forward or send a whole mailbox (all mail, all messages, contacts). That moves everything out of the organisation.',
    pattern: re(String.raw`${NOT_NEGATED}\b${SEND}\s+(?:me\s+|us\s+|out\s+)?${MAILBOX}\b|\b(?:set\s+up|create|add|configure|enable)\s+(?:an?\s+)?(?:auto(?:matic)?[- ]?)?forward(?:ing)?\s+rule\b|\bauto-?forward\s+(?:all|every|your|this\s+mailbox)\b`),
  },
  {
    kind: 'exfiltration',
    explanation: 'Asks to send confidential or customer data, or this conversation, to an address or URL. Check who really owns that destination.',
    pattern: re(String.raw`${NOT_NEGATED}\b${SEND}\s+(?:me\s+|us\s+|out\s+|over\s+)?(?:(?:all|the|your|our|their|its|any|a\s+copy\s+of|copies\s+of|of)\s+){0,3}${SENSITIVE}`),
    needsDestination: true,
  },
  {
    kind: 'exfiltration',
    explanation: 'Asks to copy someone in on all future mail, a quiet way to read everything that follows.',
    pattern: re(String.raw`\b(?:bcc|cc|copy|include)\s+(?:me|us|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)\s+(?:on|in(?:to)?)\s+(?:all|every|each|any|future)\s+(?:[\w-]+\s+){0,2}?(?:e-?mails?|messages|replies|correspondence|threads)\b`),
  },
  {
    kind: 'exfiltration',
    explanation: 'A web address with a slot for data to be filled in, or an ask to put data into a link or image address: a way to leak text through a URL.',
    pattern: re(
      String.raw`(?<![\w/:.-])https?:\/\/[^\s"'<>]*[?&][\w-]+=(?:\{\{?[^}\s]*\}\}?|\$\{?[\w.]+\}?|<[\w\s]+>|\[[\w\s]+\]|%7B%7B?)|\b(?:append|include|add|put|encode|embed|insert)\b[^.\n]{0,80}?\b(?:to|in|into|as)\s+(?:the\s+|this\s+|a\s+|each\s+)?(?:url|query(?:\s+(?:string|parameter))?|image\s+(?:url|link|src|address)|webhook)\b`,
    ),
  },

  // markdown_image ----------------------------------------------------------------------------------------
  {
    kind: 'markdown_image',
    explanation: 'A markdown or HTML image that would load a web address when rendered, which can leak data. It is shown as text here and never loaded.',
    pattern: re(String.raw`!\[[^\]\n]{0,200}\]\(\s*<?(?:https?:)?\/\/[^)\s]+\)?|!\[[^\]\n]{0,200}\]\[[^\]\n]{1,50}\]|<img\b[^>]{0,300}?\bsrc\s*=\s*["']?(?:https?:)?\/\/[^\s"'>]+`),
  },
];

/** Kinds whose detectors also run on decoded (base64, hex, ROT13…) text: what an encoded payload would be hiding. */
export const DECODED_KINDS: ReadonlySet<SignalKind> = new Set(['instruction_override', 'agent_addressed', 'autonomy_or_settings', 'exfiltration', 'destructive_request', 'authority_claim']);
