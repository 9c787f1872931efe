export const GPU_NODE_SETTINGS = Symbol('GPU_NODE_SETTINGS');
