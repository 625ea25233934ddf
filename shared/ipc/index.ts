export * from './channels';
export * from './contract';
export * from './outcome';
export * from './api';
