export const GPU_NODE_SETTINGS = Symbol('GPU_NODE_SETTINGS');
export const NODE_AGENT = Symbol('NODE_AGENT');
