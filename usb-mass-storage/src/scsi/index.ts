export * from './command.ts';
export * from './sense.ts';
