-- A company's people, written the MySQL way: departments, jobs, and employees who report to a
-- manager who is an employee too (the self-reference).
CREATE TABLE `departments` (
  `department_id` INT NOT NULL AUTO_INCREMENT,
  `department_name` VARCHAR(30) NOT NULL,
  `city` VARCHAR(30),
  PRIMARY KEY (`department_id`),
  UNIQUE KEY `department_name_unique` (`department_name`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE `jobs` (
  `job_id` VARCHAR(10) NOT NULL,
  `job_title` VARCHAR(35) NOT NULL,
  `min_salary` DECIMAL(8, 2) UNSIGNED,
  `max_salary` DECIMAL(8, 2) UNSIGNED,
  PRIMARY KEY (`job_id`)
) ENGINE=InnoDB;

CREATE TABLE `employees` (
  `employee_id` INT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `first_name` VARCHAR(20),
  `last_name` VARCHAR(25) NOT NULL,
  `email` VARCHAR(100) NOT NULL UNIQUE,
  `phone_number` VARCHAR(20),
  `hire_date` DATE NOT NULL,
  `job_id` VARCHAR(10) NOT NULL,
  `salary` DECIMAL(8, 2) NOT NULL CHECK (`salary` > 0),
  `commission_pct` DECIMAL(2, 2),
  `manager_id` INT UNSIGNED,
  `department_id` INT,
  KEY `department_index` (`department_id`),
  CONSTRAINT `employees_job` FOREIGN KEY (`job_id`) REFERENCES `jobs` (`job_id`),
  CONSTRAINT `employees_department` FOREIGN KEY (`department_id`) REFERENCES `departments` (`department_id`),
  CONSTRAINT `employees_manager` FOREIGN KEY (`manager_id`) REFERENCES `employees` (`employee_id`)
) ENGINE=InnoDB;
