export * from './database';
export { DataSource, type EntityManager, type Repository } from 'typeorm';
