/**
 * The built-in debate corpus of the {@link OfflineDebateAgent}: a small generative grammar of
 * stance-aware claims, rebuttals that name the previous speaker, evidence lines, questions and
 * concessions, on generic debate dimensions ("aspects") plus terms taken from the topic.
 * Thousands of distinct sentences come out of it; every choice is drawn from a seeded source.
 *
 * @module
 * @internal
 */
import type { RandomSource } from '../internal/random';

/** What a line is for. @internal */
export type LineKind =
  | 'claim'
  | 'rebuttal'
  | 'evidence'
  | 'question'
  | 'concession'
  | 'agreement'
  | 'moderation';

/** The slots a template may use. @internal */
export interface LineSlots {
  /** The motion as a noun phrase, e.g. `this proposal`. */
  motion: string;
  /** A debate dimension, e.g. `public health`. */
  aspect: string;
  /** A term from the topic, e.g. `cars`. */
  term: string;
  /** The previous speaker's name (or `everyone`). */
  name: string;
  /** The aspect the previous speaker leaned on. */
  theirAspect: string;
  /** A place for evidence. */
  place: string;
  /** A year for evidence. */
  year: string;
  /** A percentage. */
  percent: string;
}

/** Generic debate dimensions. @internal */
export const ASPECTS: readonly string[] = [
  'cost',
  'fairness',
  'safety',
  'personal freedom',
  'the local economy',
  'public health',
  'the environment',
  'innovation',
  'small businesses',
  'working families',
  'public trust',
  'implementation',
  'the long term',
  'young people',
  'accountability',
  'everyday convenience',
];

const PLACES = [
  'Copenhagen',
  'Seoul',
  'Bogotá',
  'Oslo',
  'Melbourne',
  'Montreal',
  'Ghent',
  'Pontevedra',
  'Helsinki',
  'Utrecht',
  'Lisbon',
  'Vancouver',
];

/** Openers of claims, by stance. */
const CLAIM_OPENERS = {
  for: [
    'Here is the simple truth:',
    'Let me be clear:',
    'The case is strong:',
    'Think about it this way:',
    'I keep coming back to one point:',
    'Look at the results:',
    'We should be honest here:',
    'Consider what is at stake:',
  ],
  against: [
    'Let me push back:',
    'Here is the problem:',
    'We need to slow down, because',
    'Be careful what you wish for:',
    'I am not convinced, because',
    'Look past the slogans:',
    'The risks are real:',
    'Let us be realistic:',
  ],
  neutral: [
    'Let me step back:',
    'Both sides have a point, but',
    'Here is what I am hearing:',
    'To be fair to everyone,',
    'On the trade-off,',
    'It is more complicated than that:',
  ],
} as const;

/** Claim bodies, by stance; `{…}` are slots. */
const CLAIM_BODIES = {
  for: [
    '{motion} would improve {aspect} within a few years.',
    '{motion} is the best tool we have for {aspect}.',
    'every delay on {motion} makes {aspect} worse.',
    'the benefits for {aspect} far outweigh the costs.',
    '{motion} puts {aspect} ahead of old habits.',
    'people adapt quickly once {motion} is in place.',
    'the places that tried {motion} rarely went back.',
    '{aspect} is exactly where {motion} pays off.',
    'we cannot talk about {term} without fixing {aspect}.',
    'doing nothing about {term} is a choice too, and a costly one.',
    '{motion} gives us room to rethink {term} entirely.',
    'the status quo on {term} is failing on {aspect}.',
  ],
  against: [
    '{motion} would hurt {aspect} more than it helps.',
    '{motion} sounds good until you look at {aspect}.',
    'the costs of {motion} land hardest on {aspect}.',
    'there are cheaper ways to help {aspect}.',
    '{motion} treats {term} as the villain, and that is too simple.',
    'rushing {motion} would damage {aspect}.',
    'nobody has shown that {motion} works at scale.',
    '{aspect} suffers when rules are imposed from above.',
    'we would trade a real problem for a bigger one on {aspect}.',
    'the people who depend on {term} are being ignored.',
    '{motion} is a blunt instrument for a subtle problem.',
    'the evidence on {aspect} points the other way.',
  ],
  neutral: [
    'the real question is how {motion} affects {aspect}.',
    'nobody has yet said what {motion} costs in terms of {aspect}.',
    'we should separate {term} from the wider question of {aspect}.',
    'the answer probably depends on how {motion} is phased in.',
    'I would like to hear a concrete plan for {aspect}.',
    'there is a middle path on {term} that no one has mentioned.',
  ],
} as const;

const REBUTTALS = {
  for: [
    '{name}, you keep raising {theirAspect}, but {motion} actually helps there.',
    '{name}, that argument about {theirAspect} ignores what happens when we do nothing.',
    'With respect, {name}, the fears about {theirAspect} have not come true anywhere.',
    '{name}, you are describing the transition, not the result.',
    '{name}, the cost of waiting is higher than the cost of acting.',
    'I hear you, {name}, but {theirAspect} is a reason to act, not to wait.',
    '{name}, every big change sounded risky before it happened.',
    '{name}, look at what {motion} did for {aspect} elsewhere before you dismiss it.',
    'No, {name}, {theirAspect} gets better, not worse, once {motion} is in place.',
    '{name}, you are defending a status quo that fails on {aspect}.',
    'Respectfully, {name}, the numbers on {theirAspect} say the opposite.',
    '{name}, that worry about {theirAspect} has an answer, and it is {motion}.',
  ],
  against: [
    '{name}, that is optimistic, and {theirAspect} is where it breaks down.',
    '{name}, you are skipping over who pays for {motion}.',
    'With respect, {name}, {theirAspect} is not that simple.',
    '{name}, the places you cite are not like ours.',
    '{name}, good intentions do not fix {theirAspect}.',
    'I hear you, {name}, but a promise about {theirAspect} is not a plan.',
    '{name}, you assume people will simply adapt, and many cannot.',
    '{name}, {motion} looks cheap on paper and costly on {aspect}.',
    'No, {name}, {theirAspect} is exactly where the plan falls apart.',
    '{name}, you are promising gains on {theirAspect} that nobody has measured.',
    'Respectfully, {name}, {aspect} will pay for your optimism.',
    '{name}, ask the people who rely on {term} what they think.',
  ],
  neutral: [
    '{name}, can you say more about {theirAspect}?',
    '{name}, I think you are both talking past each other on {theirAspect}.',
    'That is a fair point, {name}, but it leaves {aspect} open.',
    '{name}, what would change your mind on {theirAspect}?',
    '{name}, how does that square with what we heard about {aspect}?',
    'Let us test that, {name}: what happens to {aspect}?',
  ],
} as const;

const EVIDENCE = {
  for: [
    'In {place}, {aspect} improved by {percent} percent after a similar change in {year}.',
    'A {year} study from {place} found {percent} percent fewer complaints about {term}.',
    'When {place} tried it in {year}, support rose to {percent} percent within two years.',
    'The data from {place} show gains for {aspect} of about {percent} percent.',
    'Since {year}, {place} has seen {percent} percent better results on {aspect}.',
  ],
  against: [
    'In {place}, costs rose by {percent} percent after a similar change in {year}.',
    'A {year} review from {place} found {percent} percent of small firms were worse off.',
    'When {place} tried it in {year}, {percent} percent of residents opposed it a year later.',
    'The figures from {place} show {aspect} falling by about {percent} percent.',
    'Since {year}, {place} has spent {percent} percent more just to keep it running.',
  ],
  neutral: [
    'The studies from {place} are mixed: about {percent} percent saw a benefit.',
    'A {year} survey found {percent} percent undecided on {term}.',
    'In {place} the effect on {aspect} took years to show up.',
  ],
} as const;

const QUESTIONS = {
  for: [
    '{name}, what is your alternative for {aspect}?',
    'So who benefits from keeping things as they are?',
    '{name}, would you accept a trial period at least?',
    'What exactly are we waiting for?',
  ],
  against: [
    '{name}, who pays when {motion} goes over budget?',
    'What happens to people who have no other option?',
    '{name}, where is the evidence that it scales?',
    'Why not start with something smaller?',
  ],
  neutral: [
    'What would a fair compromise on {aspect} look like?',
    '{name}, how would you measure success?',
    'Can either of you name a downside of your own position?',
    'What do we actually know about {aspect} here?',
  ],
} as const;

const CONCESSIONS = {
  for: [
    'I grant that {aspect} needs care during the transition.',
    'Fair enough, the first year on {aspect} would be hard.',
    'Yes, {motion} is not free, I accept that.',
  ],
  against: [
    'I grant that the current situation with {term} is not great.',
    'Fair enough, {aspect} could improve in some places.',
    'Yes, something has to change, I accept that.',
  ],
  neutral: [
    'To be fair, both of you have evidence on your side.',
    'I accept that {aspect} cuts both ways.',
    'Granted, nobody here has all the answers on {aspect}.',
  ],
} as const;

const AGREEMENTS = [
  '{name} is right about {theirAspect}.',
  'I agree with {name} on {theirAspect}.',
  'Building on what {name} said about {theirAspect},',
  'As {name} put it, {theirAspect} matters here.',
];

const CLOSERS = {
  for: ['That is why I support it.', 'We should move ahead.', 'The choice is clear.', 'It is time.'],
  against: [
    'That is why I am against it.',
    'We should think again.',
    'The risks are too high.',
    'Not like this.',
  ],
  neutral: ['Let us keep both sides honest.', 'That is the crux.', 'I am still weighing it.'],
} as const;

/** Interjections by type. @internal */
export const INTERJECTIONS = {
  support: [
    'Exactly.',
    'Right.',
    'Good point.',
    'Yes, absolutely.',
    'That is the key.',
    'Hear, hear.',
    'Well said.',
    'True.',
    'Mm-hmm, agreed.',
    'Yes, exactly that.',
  ],
  clarify: [
    'Which study?',
    'Meaning what?',
    'Since when?',
    'Compared to what?',
    'For whom, though?',
    'How much, roughly?',
    'Where was that?',
    'Sorry, which city?',
  ],
  challenge: [
    'That is not true.',
    'Says who?',
    'Hardly.',
    'Come on.',
    'That is a stretch.',
    'Not at all.',
    'That is cherry-picking.',
    'Oh, please.',
    'Nonsense.',
    'I doubt that.',
  ],
} as const;

/** A uniform pick. @internal */
export function pick<T>(random: RandomSource, items: readonly T[]): T {
  return items[Math.floor(random.next() * items.length)] as T;
}

/** Fills `{slot}`s and capitalizes the first letter. @internal */
export function fill(template: string, slots: LineSlots): string {
  const text = template.replace(/\{(\w+)\}/gu, (_, key: string) => slots[key as keyof LineSlots] ?? key);
  // Capitalize the start of every sentence (templates join an opener and a body).
  return text.replace(
    /(^|[.!?]\s+)(\p{Ll})/gu,
    (_, lead: string, letter: string) => lead + letter.toUpperCase(),
  );
}

/** Draws the slots of one line. @internal */
export function drawSlots(
  random: RandomSource,
  base: { motion: string; terms: readonly string[]; name: string; theirAspect: string | undefined },
): LineSlots {
  const aspect = pick(random, ASPECTS);
  return {
    motion: base.motion,
    aspect,
    term: base.terms.length > 0 ? pick(random, base.terms) : 'the status quo',
    name: base.name,
    theirAspect: base.theirAspect ?? pick(random, ASPECTS),
    place: pick(random, PLACES),
    year: String(2008 + Math.floor(random.next() * 16)),
    percent: String(5 + Math.floor(random.next() * 40)),
  };
}

/** One line of the given kind and stance (before slot filling). @internal */
export function lineTemplate(
  random: RandomSource,
  kind: LineKind,
  stance: 'for' | 'against' | 'neutral',
): string {
  switch (kind) {
    case 'claim':
      return `${pick(random, CLAIM_OPENERS[stance])} ${pick(random, CLAIM_BODIES[stance])}`;
    case 'rebuttal':
      return pick(random, REBUTTALS[stance]);
    case 'evidence':
      return pick(random, EVIDENCE[stance]);
    case 'question':
      return pick(random, QUESTIONS[stance]);
    case 'concession':
      return `${pick(random, CONCESSIONS[stance]).replace(/[.!?]$/u, '')}; ${random.next() < 0.5 ? 'but' : 'still,'} ${lowerFirst(pick(random, CLOSERS[stance]))}`;
    case 'agreement': {
      const lead = pick(random, AGREEMENTS);
      return lead.endsWith(',') ? `${lead} ${pick(random, CLAIM_BODIES[stance])}` : lead;
    }
    case 'moderation':
      return `${pick(random, CLAIM_OPENERS.neutral)} ${pick(random, CLAIM_BODIES.neutral)}`;
  }
}

function lowerFirst(text: string): string {
  return /^I\b/u.test(text) ? text : text.charAt(0).toLowerCase() + text.slice(1);
}

/** The aspect a text talks about, if it names one. @internal */
export function aspectOf(text: string): string | undefined {
  const lower = text.toLowerCase();
  let found: string | undefined;
  let position = -1;
  for (const aspect of ASPECTS) {
    const at = lower.lastIndexOf(aspect);
    if (at > position) {
      position = at;
      found = aspect;
    }
  }
  return found;
}

const STOPWORDS = new Set([
  'should',
  'would',
  'could',
  'their',
  'there',
  'these',
  'those',
  'about',
  'which',
  'whether',
  'being',
  'every',
  'other',
  'where',
  'because',
  'always',
  'really',
  'things',
]);

/**
 * Plural-looking content words of a topic (≥ 4 letters ending in a single `s`, e.g. `cities`,
 * `cars`, `centres`): the grammar's `{term}` slot.
 * @internal
 */
export function topicTerms(topic: string): string[] {
  const words = topic.toLowerCase().match(/[\p{L}-]+/gu) ?? [];
  const terms: string[] = [];
  for (const word of words) {
    if (
      word.length >= 4 &&
      word.endsWith('s') &&
      !word.endsWith('ss') &&
      !STOPWORDS.has(word) &&
      !terms.includes(word)
    ) {
      terms.push(word);
    }
  }
  return terms;
}
