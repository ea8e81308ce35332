/** A cheap text test that rules a file out before parsing (kept apart so light code can use it). */
export const INPUT_POINT_TEXT = /elicitInput|createMessage|listRoots|requestSampling|elicitation\/create|sampling\/createMessage|roots\/list/;
